import { loadMigrateConfig, type MigrateConfig } from '@wxcs/config';
import { createLogger, type Logger } from '@wxcs/logger';

/**
 * The composition root both command-line tools share: reads DATABASE_URL and
 * LOG_LEVEL from the environment, gives the command a logger, and exits with
 * what the command returns. An invalid configuration or a failure the command
 * does not handle is logged as fatal and exits 1, naming what failed.
 */
export async function runCommand(
  name: string,
  failure: string,
  command: (config: MigrateConfig, log: Logger) => Promise<number>,
): Promise<void> {
  let config: MigrateConfig;
  try {
    config = loadMigrateConfig(process.env);
  } catch (error) {
    createLogger({ name, level: 'info' }).fatal({ err: error }, 'invalid configuration');
    process.exitCode = 1;
    return;
  }
  const log = createLogger({ name, level: config.common.LOG_LEVEL });
  try {
    process.exitCode = await command(config, log);
  } catch (error) {
    log.fatal({ err: error }, failure);
    process.exitCode = 1;
  }
}
