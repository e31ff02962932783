/**
 * What an operator copies out of a document (configuration variables, npm
 * scripts, HTTP paths, ports), so a translation can be checked against the
 * document it translates. The whole text is scanned, prose, code spans and
 * code blocks alike: a translator keeps these verbatim wherever they stand.
 */

export type TermKind = 'configuration variable' | 'npm script' | 'HTTP path';

export interface DocFile {
  /** Shown in reports, e.g. `README.zh-CN.md`. */
  readonly name: string;
  readonly text: string;
}

/** What a reader sees: comments dropped, Markdown escapes resolved (`FOO\_BAR` renders as FOO_BAR, `\|` in tables as |). */
function readable(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

// UPPER_SNAKE with at least one underscore, so JSON, AOF or SIGTERM are not
// taken for variables; `WECHAT_*` names the family. Word characters on either
// side (WORKER_PORTS, x_FOO_BAR) mean it is part of something else.
const SNAKE_VARIABLE = /(?<![A-Za-z0-9_])[A-Z][A-Z0-9]*(?:_(?:[A-Z0-9]+|\*))+(?![A-Za-z0-9_])/g;

const NPM_SCRIPT = /\bnpm\s+(?:run\s+([A-Za-z0-9:._-]*[A-Za-z0-9_])|(start|test)(?![\w:-]))/g;

const PATH = String.raw`(?:\/(?:<[^<>\n]*>|[A-Za-z0-9_.~{}:-])+)+`;
// A route stands alone (after a space, backtick, bracket or punctuation,
// Chinese included), not after a letter, digit, `:`, `/` or `>`, which make
// `a/b`, `host:5432/db`, `https://` and `<name>/file` parts of something else.
const STANDALONE_PATH = new RegExp(String.raw`(?<![\p{L}\p{N}_.:/~\\<>-])${PATH}`, 'gu');
// …or follows the host of an http(s) URL, placeholder hosts included: `https://<your host>/wechat`.
const URL_PATH = new RegExp(String.raw`\bhttps?://(?:<[^<>\n]*>|[^\s/<>\x60'")])+(${PATH})`, 'gu');

// Absolute paths under these are files on a machine (`/usr/bin/chromium`), not routes.
const FILESYSTEM_ROOTS = new Set(['bin', 'dev', 'etc', 'home', 'mnt', 'opt', 'proc', 'root', 'srv', 'sys', 'tmp', 'usr', 'var']);

function httpPaths(text: string): string[] {
  const standalone = [...text.matchAll(STANDALONE_PATH)].map((match) => match[0]);
  const inUrls = [...text.matchAll(URL_PATH)].map((match) => match[1] ?? '');
  return [...standalone, ...inUrls]
    .map((path) =>
      path
        .replace(/[.:,-]+$/, '')
        // A placeholder may be translated (`<app name>`, `<应用名>`): only its place is compared.
        .replace(/<[^<>]*>/g, '<…>'),
    )
    .filter((path) => path.length > 1 && !FILESYSTEM_ROOTS.has(path.split('/')[1] ?? ''));
}

/**
 * Terms named in one document, as `kind value` keys. `knownVariables` adds the
 * variables the code reads whose names have no underscore (`PORT`, `HOST`).
 */
export function namedTerms(markdown: string, knownVariables: ReadonlySet<string> = new Set()): Map<string, TermKind> {
  const text = readable(markdown);
  const terms = new Map<string, TermKind>();
  const add = (kind: TermKind, value: string) => terms.set(`${kind} ${value}`, kind);
  for (const [name] of text.matchAll(SNAKE_VARIABLE)) add('configuration variable', name);
  for (const name of knownVariables) {
    if (new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(text)) add('configuration variable', name);
  }
  for (const [, run, direct] of text.matchAll(NPM_SCRIPT)) add('npm script', run ? `npm run ${run}` : `npm ${direct}`);
  for (const path of httpPaths(text)) add('HTTP path', path);
  return terms;
}

const PORT_VARIABLE = /(?<![A-Za-z0-9_])(?:[A-Z][A-Z0-9]*_)*PORT(?![A-Za-z0-9_])/;
/** A 2-5 digit number that is not part of a decimal, a dotted address or a longer number. */
const NUMBER = /(?<!\d|\d\.)\d{2,5}(?!\d|\.\d)/g;

const PORT_CONTEXTS = [
  // host:port and `:3000` (after an IPv4 address, a host name, a space or a bracket; not in 12:30)
  /(?:\b\d{1,3}(?:\.\d{1,3}){3}|[A-Za-z][A-Za-z0-9.-]*|[\s`(（]|^):(\d{2,5})(?!\d)/gm,
  /\bports?\s+`?(\d{2,5})(?!\d)/gi,
  /端口号?\s*[:：]?\s*`?(\d{2,5})(?!\d)/g,
  /(?<!\d)(\d{2,5})`?\s*端口/g,
];

/**
 * Port numbers a document names: host:port, "port 3000" / "3000 端口", and
 * every number on a line that names a port variable (`PORT`, `WORKER_PORT`),
 * which is how the configuration table and the process table give them.
 */
export function namedPorts(markdown: string): Set<number> {
  const text = readable(markdown);
  const found = [...PORT_CONTEXTS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ''))];
  for (const line of text.split('\n')) {
    if (PORT_VARIABLE.test(line)) found.push(...(line.match(NUMBER) ?? []));
  }
  return new Set(found.map(Number).filter((port) => port >= 1 && port <= 65_535));
}

function mentionsNumber(text: string, value: number): boolean {
  return new RegExp(`(?<!\\d)${value}(?!\\d)`).test(text);
}

/**
 * Every term one file names and the other does not, as sentences naming the
 * file that lacks it. Ports are recognised by their context in either file and
 * then only looked for as numbers, so a translation that words the context
 * differently (or wraps the line elsewhere) still matches.
 */
export function missingTerms(a: DocFile, b: DocFile, knownVariables: ReadonlySet<string> = new Set()): string[] {
  const termsA = namedTerms(a.text, knownVariables);
  const termsB = namedTerms(b.text, knownVariables);
  const missing: string[] = [];
  for (const [from, to, fromTerms, toTerms] of [
    [a, b, termsA, termsB],
    [b, a, termsB, termsA],
  ] as const) {
    for (const key of fromTerms.keys()) {
      if (!toTerms.has(key)) missing.push(`${to.name} lacks ${key}, named in ${from.name}`);
    }
  }
  const ports = [...new Set([...namedPorts(a.text), ...namedPorts(b.text)])].sort((x, y) => x - y);
  for (const port of ports) {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      if (mentionsNumber(from.text, port) && !mentionsNumber(to.text, port)) {
        missing.push(`${to.name} lacks port ${port}, named in ${from.name}`);
      }
    }
  }
  return missing;
}
