import { loadReceiverConfig } from '@wxcs/config';
import { createBufferedDestination, createLogger } from '@wxcs/logger';
import { createProducerRedis } from '@wxcs/queue';
import { installCrashHandlers } from '@wxcs/service';
import { startReceiver } from './receiver.js';

// Composition root: the only place that reads process.env and listens for signals.
async function main(): Promise<void> {
  const config = loadReceiverConfig(process.env);
  // Buffered stdout: one write per ~4 KiB of lines instead of a syscall per
  // request, and never more than a second late when traffic is low.
  const destination = createBufferedDestination({ fd: 1, minLength: 4096, maxDelayMs: 1_000 });
  const logger = createLogger({ name: 'receiver', level: config.common.LOG_LEVEL, destination });
  const exit = (code: number) => process.exit(code);
  installCrashHandlers(logger, exit);
  // Fail-fast producer: no offline queue, so an outage reaches the spool instead of hanging requests.
  const redis = createProducerRedis(config.redis.REDIS_URL);
  const receiver = await startReceiver(config, { logger, redis, exit });
  receiver.shutdown.listen();
}

main().catch((error: unknown) => {
  createLogger({ name: 'receiver', level: 'info' }).fatal({ err: error }, 'receiver failed to start');
  process.exit(1);
});
