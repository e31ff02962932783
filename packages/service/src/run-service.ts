import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger, type DestinationStream, type Logger } from '@wxcs/logger';
import { installCrashHandlers } from './crash-handlers.js';
import type { Shutdown } from './shutdown.js';

/** What a service's start function gets besides its config. */
export interface ServiceRuntime {
  readonly logger: Logger;
  /** Ends the process (main) or records the code (tests). */
  readonly exit: (code: number) => void;
}

/** A started service: listening, its shutdown steps registered. */
export interface StartedService {
  readonly shutdown: Shutdown;
}

export interface ServiceDefinition<Config> {
  /** `service` on every log line. */
  readonly name: string;
  /** Validates the environment; throws with every problem named. */
  readonly loadConfig: (env: NodeJS.ProcessEnv) => Config;
  readonly logLevel: (config: Config) => string;
  /** Where log lines go; stdout, unbuffered, when absent. */
  readonly logDestination?: () => DestinationStream;
  /** The composition: connections, handlers, listeners, shutdown steps. Tests call the same function. */
  readonly start: (config: Config, runtime: ServiceRuntime) => Promise<StartedService>;
}

export interface ProcessHooks {
  readonly env: NodeJS.ProcessEnv;
  readonly exit: (code: number) => void;
  /** Start-up failures go here, synchronously, before the process exits. */
  readonly stderr: DestinationStream;
}

const processHooks = (): ProcessHooks => ({ env: process.env, exit: (code) => process.exit(code), stderr: process.stderr });

/**
 * The one way a service process starts: config, logger, crash handlers, the
 * service's own start, then SIGTERM/SIGINT to its shutdown. A start-up that
 * fails (bad configuration, a port taken) leaves one `fatal` JSON line on
 * stderr saying why, and exit code 1.
 */
export async function runService<Config>(service: ServiceDefinition<Config>, hooks: ProcessHooks = processHooks()): Promise<void> {
  try {
    const config = service.loadConfig(hooks.env);
    const logger = createLogger({ name: service.name, level: service.logLevel(config), destination: service.logDestination?.() });
    installCrashHandlers(logger, hooks.exit);
    const started = await service.start(config, { logger, exit: hooks.exit });
    started.shutdown.listen();
  } catch (error) {
    // Not the service's logger: it may not exist yet, and a buffered one would lose the line at exit.
    createLogger({ name: service.name, level: 'fatal', destination: hooks.stderr }).fatal({ err: error }, `${service.name} failed to start`);
    hooks.exit(1);
  }
}

/**
 * True when the module at `moduleUrl` is the script node was started with,
 * so a main.ts can export its start function to tests and still run as a
 * program. Both sides are resolved through symlinks, as ESM resolves module URLs.
 */
export function isEntryPoint(moduleUrl: string, argv: readonly string[] = process.argv): boolean {
  const entry = argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
