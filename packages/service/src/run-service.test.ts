import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEntryPoint, runService, type ProcessHooks, type ServiceDefinition } from './run-service.js';
import { createShutdown } from './shutdown.js';

function hooks(env: NodeJS.ProcessEnv = {}) {
  const exits: number[] = [];
  const lines: string[] = [];
  const stderr = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const processHooks: ProcessHooks = { env, exit: (code) => exits.push(code), stderr };
  return { processHooks, exits, lines };
}

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

function service(overrides: Partial<ServiceDefinition<{ level: string }>> = {}): ServiceDefinition<{ level: string }> {
  return {
    name: 'example',
    loadConfig: (env) => ({ level: env.LOG_LEVEL ?? 'info' }),
    logLevel: (config) => config.level,
    logDestination: () => silent,
    start: async (_config, runtime) => ({ shutdown: createShutdown({ logger: runtime.logger, timeoutMs: 1_000, exit: runtime.exit }) }),
    ...overrides,
  };
}

describe('runService', () => {
  it('passes the loaded config and a logger at its level to start, and wires the signals', async () => {
    const { processHooks, exits } = hooks({ LOG_LEVEL: 'warn' });
    const seen: { config?: { level: string }; level?: string } = {};
    const listeners = process.listenerCount('SIGTERM');
    let unwire: (() => void) | undefined;
    await runService(
      service({
        start: async (config, runtime) => {
          seen.config = config;
          seen.level = runtime.logger.level;
          const shutdown = createShutdown({ logger: runtime.logger, timeoutMs: 1_000, exit: runtime.exit });
          return { shutdown: { ...shutdown, listen: () => (unwire = shutdown.listen()) } };
        },
      }),
      processHooks,
    );
    expect(seen).toEqual({ config: { level: 'warn' }, level: 'warn' });
    expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);
    expect(exits).toEqual([]);
    unwire?.();
  });

  it('turns a configuration error into one fatal JSON line on stderr and exit code 1', async () => {
    const { processHooks, exits, lines } = hooks();
    await runService(
      service({
        loadConfig: () => {
          throw new Error('WECHAT_TOKEN: required');
        },
      }),
      processHooks,
    );
    expect(exits).toEqual([1]);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '') as { level: string; service: string; msg: string; err: { message: string } };
    expect(line).toMatchObject({ level: 'fatal', service: 'example', msg: 'example failed to start' });
    expect(line.err.message).toBe('WECHAT_TOKEN: required');
  });

  it('reports a start that fails after the config loaded (a port taken) the same way', async () => {
    const { processHooks, exits, lines } = hooks();
    await runService(service({ start: () => Promise.reject(new Error('listen EADDRINUSE: address already in use')) }), processHooks);
    expect(exits).toEqual([1]);
    expect(lines.join('')).toContain('EADDRINUSE');
  });
});

describe('isEntryPoint', () => {
  const self = fileURLToPath(import.meta.url);

  it('is true only for the script node was started with', () => {
    expect(isEntryPoint(import.meta.url, ['node', self])).toBe(true);
    expect(isEntryPoint(import.meta.url, ['node', fileURLToPath(new URL('./shutdown.ts', import.meta.url))])).toBe(false);
    expect(isEntryPoint(import.meta.url, ['node'])).toBe(false);
    expect(isEntryPoint(import.meta.url, ['node', '/no/such/file.js'])).toBe(false);
  });

  it('is false when imported by a test runner', () => {
    expect(isEntryPoint(import.meta.url)).toBe(false);
  });
});
