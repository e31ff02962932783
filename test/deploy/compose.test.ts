import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SERVICE_ENV_VARS,
  loadDashboardConfig,
  loadMigrateConfig,
  loadReceiverConfig,
  loadSupportConfig,
  loadWorkerConfig,
} from '@wxcs/config';
import { durationMs, interpolate, readCompose, serviceEnvironment, type ComposeService } from './compose-file.js';
import { exampleEnv, operatorEnv } from './operator-env.js';

// No Docker engine runs where the tests do, so the compose file and the
// Dockerfile are checked against the code they start instead.
const root = join(import.meta.dirname, '..', '..');
const compose = readCompose(join(root, 'docker-compose.yml'));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

/** `portVar` is published; `probeVar` is where its health check and metrics answer. */
const APP_SERVICES = {
  receiver: { load: loadReceiverConfig, portVar: 'PORT', probeVar: 'RECEIVER_OPS_PORT' },
  worker: { load: loadWorkerConfig, portVar: 'WORKER_PORT', probeVar: 'WORKER_PORT' },
  dashboard: { load: loadDashboardConfig, portVar: 'DASHBOARD_PORT', probeVar: 'DASHBOARD_PORT' },
  support: { load: loadSupportConfig, portVar: 'SUPPORT_PORT', probeVar: 'SUPPORT_PORT' },
  migrate: { load: loadMigrateConfig, portVar: undefined, probeVar: undefined },
} as const;

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`service ${name} missing`);
  return found;
}

/** A service's environment as compose hands it over, with the operator's values. */
function environmentOf(name: string, env: Record<string, string> = operatorEnv): Record<string, string> {
  return serviceEnvironment(service(name), env);
}

/** `node [flags] path/to/file.js` → the TypeScript source it is compiled from. */
function sourceOfCommand(command: readonly string[]): string {
  const script = command.find((part) => part.endsWith('.js'));
  if (command[0] !== 'node' || script === undefined) throw new Error(`not a node command: ${command.join(' ')}`);
  return script.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
}

describe('docker-compose.yml', () => {
  it('has the pipeline services and named volumes for every stateful one', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['dashboard', 'migrate', 'postgres', 'receiver', 'redis', 'support', 'worker']);
    for (const [name, volume] of [['redis', 'redis-data'], ['postgres', 'postgres-data'], ['receiver', 'receiver-spool']]) {
      expect(service(name!).volumes?.some((v) => v.startsWith(`${volume}:`))).toBe(true);
      expect(compose.volumes).toHaveProperty(volume!);
    }
  });

  it('runs Redis with AOF every second and without eviction', () => {
    const command = service('redis').command?.join(' ') ?? '';
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync everysec/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it.each(Object.keys(APP_SERVICES))('%s starts a program that exists in the source tree', (name) => {
    const command = service(name).command ?? [];
    expect(existsSync(join(root, sourceOfCommand(command)))).toBe(true);
  });

  it.each(['receiver', 'worker', 'dashboard', 'support'])('%s runs with the same node flags as its own start script and `npm start`', (name) => {
    const startScript = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { scripts: { start: string } }).scripts.start;
    const flags = (command: readonly string[]) => command.filter((part) => part.startsWith('--'));
    const ownFlags = flags(startScript(join(root, 'apps', name, 'package.json')).split(' '));
    expect(flags(service(name).command ?? [])).toEqual(ownFlags);
    expect(startScript(join(root, 'package.json'))).toContain(`"node ${ownFlags.join(' ')} apps/${name}/dist/main.js"`);
  });

  it.each(Object.entries(APP_SERVICES))('%s gets only variables its config reads, and enough to start in production', (name, spec) => {
    const env = environmentOf(name);
    const known: readonly string[] = SERVICE_ENV_VARS[name as keyof typeof SERVICE_ENV_VARS];
    expect(Object.keys(env).filter((key) => !known.includes(key))).toEqual([]);
    expect(env.NODE_ENV).toBe('production');
    expect(() => spec.load(env)).not.toThrow();
  });

  it.each(['receiver', 'worker', 'dashboard', 'support'] as const)('%s publishes only its own port and health-checks its ops port', (name) => {
    const { portVar, probeVar } = APP_SERVICES[name];
    const port = environmentOf(name)[portVar];
    const probePort = environmentOf(name)[probeVar];
    expect(port).toMatch(/^\d+$/);
    expect(probePort).toMatch(/^\d+$/);
    const probe = service(name).healthcheck?.test.join(' ') ?? '';
    expect(probe).toContain(`127.0.0.1:${probePort}/`);
    for (const mapping of service(name).ports ?? []) expect(mapping.endsWith(`:${port}`)).toBe(true);
  });

  it('keeps the receiver\'s probes and metrics off its public port', () => {
    const env = environmentOf('receiver');
    expect(env.RECEIVER_OPS_PORT).not.toBe(env.PORT);
    expect((service('receiver').ports ?? []).some((mapping) => mapping.endsWith(`:${env.RECEIVER_OPS_PORT}`))).toBe(false);
  });

  it('publishes the dashboard on 127.0.0.1 unless the operator says otherwise', () => {
    const [mapping] = service('dashboard').ports ?? [];
    expect(interpolate(mapping ?? '', operatorEnv)).toBe('127.0.0.1:3002:3002');
    expect(interpolate(mapping ?? '', { ...operatorEnv, DASHBOARD_PUBLISH_ADDRESS: '0.0.0.0' })).toBe('0.0.0.0:3002:3002');
  });

  it('publishes the support API on 127.0.0.1 unless the operator says otherwise', () => {
    const [mapping] = service('support').ports ?? [];
    expect(interpolate(mapping ?? '', operatorEnv)).toBe('127.0.0.1:3003:3003');
    expect(interpolate(mapping ?? '', { ...operatorEnv, SUPPORT_PUBLISH_ADDRESS: '0.0.0.0' })).toBe('0.0.0.0:3003:3003');
  });

  it('gives the support API the AppSecret only when the operator set one: without it the app is inbound-only', () => {
    expect(environmentOf('support')).not.toHaveProperty('WECHAT_APP_SECRET');
    expect(loadSupportConfig(environmentOf('support')).apps[0]?.appSecret).toBeUndefined();
    const secret = '9d4b7e1a3c5f8e2b6a0d4c7f1e9b3a5d';
    const answering = environmentOf('support', { ...operatorEnv, WECHAT_APP_SECRET: secret });
    expect(loadSupportConfig(answering).apps[0]?.appSecret).toBe(secret);
  });

  it('does not start on .env.example as it is: every secret must be filled in', () => {
    for (const name of Object.keys(APP_SERVICES)) {
      expect(() => environmentOf(name, exampleEnv), name).toThrow(/compose needs/);
    }
    for (const [key, value] of Object.entries(exampleEnv)) {
      if (/TOKEN|AES_KEY|APP_ID|PASSWORD/.test(key)) expect(value, key).toBe('');
    }
  });

  it.each(['receiver', 'worker', 'dashboard', 'support'] as const)('%s waits for healthy dependencies and a finished migration', (name) => {
    expect(service(name).depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
  });

  it.each(['receiver', 'worker', 'dashboard', 'support'] as const)('%s gets more stop time than its own shutdown deadline', (name) => {
    const deadline = Number(environmentOf(name).SHUTDOWN_TIMEOUT_MS ?? 15_000);
    expect(durationMs(service(name).stop_grace_period ?? '10s')).toBeGreaterThan(deadline);
  });

  it('lists in .env.example only variables some service reads', () => {
    const known = new Set([...Object.values(SERVICE_ENV_VARS).flat(), 'POSTGRES_PASSWORD']);
    expect(Object.keys(exampleEnv).filter((key) => !known.has(key))).toEqual([]);
  });
});

function readWorkspaceExports(workspace: string): unknown {
  const manifest = JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8')) as { exports?: unknown };
  return manifest.exports ?? {};
}

describe('Dockerfile', () => {
  const workspaces = ['packages', 'apps'].flatMap((dir) =>
    readdirSync(join(root, dir)).filter((name) => existsSync(join(root, dir, name, 'package.json'))).map((name) => `${dir}/${name}`),
  );

  it('builds in one stage and runs as a non-root user with production dependencies only', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const user = /^USER (\S+)/m.exec(dockerfile)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toBe('root');
  });

  it('copies only paths that exist', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1]!.split(' '));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(join(root, source)), source).toBe(true);
  });

  it('installs every workspace and ships the build of every runtime one, including what compose starts', () => {
    for (const workspace of workspaces) {
      expect(dockerfile, workspace).toContain(`COPY ${workspace}/package.json ${workspace}/`);
      // Test-only workspaces export TypeScript sources alone and build nothing.
      if (JSON.stringify(readWorkspaceExports(workspace)).includes('"default"')) {
        expect(dockerfile, workspace).toContain(`COPY --from=build /app/${workspace}/dist ${workspace}/dist`);
      }
    }
    for (const name of Object.keys(APP_SERVICES)) {
      const script = (service(name).command ?? []).find((part) => part.endsWith('.js')) ?? '';
      expect(workspaces.some((workspace) => script.startsWith(`${workspace}/dist/`)), script).toBe(true);
    }
  });
});
