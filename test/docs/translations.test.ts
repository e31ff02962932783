import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_ENV_VARS } from '@wxcs/config';
import { missingTerms } from './doc-terms.js';

// The people who deploy and run the pipeline mostly read Chinese first. A
// translation that silently falls behind its English document is worse than
// none, so each pair has to name the same variables, scripts, paths and ports.
const root = join(import.meta.dirname, '..', '..');

/** Operator documents that must have a translation; any other `*.zh-CN.md` found is checked too. */
const REQUIRED = ['README.md', 'docs/operations.md'];

function translated(english: string): string {
  return english.replace(/\.md$/, '.zh-CN.md');
}

const found = ['.', 'docs'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((file) => file.endsWith('.zh-CN.md'))
    .map((file) => join(dir, file.replace(/\.zh-CN\.md$/, '.md')).replaceAll('\\', '/')),
);
const pairs = [...new Set([...REQUIRED, ...found])].sort();

const knownVariables = new Set(Object.values(SERVICE_ENV_VARS).flat());

function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

describe.each(pairs)('%s and its Chinese translation', (english) => {
  const chinese = translated(english);

  it('exist and link to each other from their first line', () => {
    expect(existsSync(join(root, english)), `${english} exists`).toBe(true);
    expect(existsSync(join(root, chinese)), `${chinese} exists`).toBe(true);
    expect(read(english).split('\n')[0]).toBe(`[简体中文](${basename(chinese)})`);
    expect(read(chinese).split('\n')[0]).toBe(`[English](${basename(english)})`);
  });

  it('name the same configuration variables, npm scripts, HTTP paths and ports', () => {
    const missing = missingTerms({ name: english, text: read(english) }, { name: chinese, text: read(chinese) }, knownVariables);
    expect(missing).toEqual([]);
  });
});
