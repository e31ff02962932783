// Composition root of the dead-letter CLI: `npm run dlq -- list|replay|purge ...`.
import { loadWorkerConfig } from '@wxcs/config';
import { catalog, createProducerRedis, deadLetterQueue, openQueue } from '@wxcs/queue';
import { USAGE, parseDlqArgs } from './dlq-args.js';
import { runDlqCommand } from './dlq-commands.js';

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseDlqArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (command.action === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadWorkerConfig(process.env);
  const redis = createProducerRedis(config.redis.target);
  // Connected before the queue handles exist: they would otherwise start connecting it themselves.
  await redis.connect();
  const handle = { connection: redis, prefix: config.redis.QUEUE_PREFIX };
  const deadLetters = openQueue(deadLetterQueue, handle);
  const origins = catalog.filter((record) => record.name !== deadLetterQueue.name).map((record) => openQueue(record, handle));
  try {
    return await runDlqCommand(command, {
      deadLetters,
      origins,
      policy: { attempts: config.redis.QUEUE_JOB_ATTEMPTS },
      write: (text) => process.stdout.write(text),
    });
  } finally {
    await Promise.all([deadLetters, ...origins].map((queue) => queue.close()));
    redis.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dlq: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
