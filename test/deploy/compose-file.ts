import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  /** A variable without a value (null) is passed on from the environment compose runs in, when set there. */
  environment?: Record<string, string | null>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function readCompose(path: string): ComposeFile {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

/**
 * `docker compose -f base -f override`: a service of the override is added,
 * or merged into the base's: its environment and depends_on entries are
 * added to the base's (or replace them key by key), its volumes and ports
 * are appended, anything else replaces the base's value.
 */
export function mergeCompose(base: ComposeFile, override: ComposeFile): ComposeFile {
  const services = { ...base.services };
  for (const [name, extra] of Object.entries(override.services)) {
    const current = services[name];
    services[name] = current === undefined ? extra : {
      ...current,
      ...extra,
      environment: { ...current.environment, ...extra.environment },
      depends_on: { ...current.depends_on, ...extra.depends_on },
      volumes: [...(current.volumes ?? []), ...(extra.volumes ?? [])],
      ports: [...(current.ports ?? []), ...(extra.ports ?? [])],
    };
  }
  return { services, volumes: { ...base.volumes, ...override.volumes } };
}

/**
 * Resolves compose interpolation the way `docker compose` does for the
 * forms we use: ${VAR}, ${VAR:-default}, ${VAR:?message}.
 */
export function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_match, name: string, op?: string, arg?: string) => {
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (op === '-') return arg ?? '';
    throw new Error(`compose needs ${name}: ${arg ?? ''}`);
  });
}

export function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m)$/.exec(value);
  if (!match) throw new Error(`unsupported duration ${value}`);
  const amount = Number(match[1]);
  return match[2] === 'ms' ? amount : match[2] === 's' ? amount * 1_000 : amount * 60_000;
}

/**
 * A service's environment as compose hands it over: values interpolated, and
 * a variable listed without a value passed on from `env` only when set there.
 */
export function serviceEnvironment(service: ComposeService, env: Record<string, string>): Record<string, string> {
  const raw: Record<string, string | null> = service.environment ?? {};
  return Object.fromEntries(
    Object.entries(raw).flatMap(([key, value]) => {
      if (value !== null) return [[key, interpolate(String(value), env)]];
      return env[key] === undefined ? [] : [[key, env[key]]];
    }),
  );
}
