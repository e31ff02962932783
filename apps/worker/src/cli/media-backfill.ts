// Composition root of the image backfill: `npm run media:backfill -- [--app NAME]... [--hours N]`.
import { loadWorkerConfig } from '@wxcs/config';
import { createPrismaClient } from '@wxcs/db';
import { createProducerRedis, mediaQueue, openQueue } from '@wxcs/queue';
import { USAGE, parseBackfillArgs } from './media-backfill-args.js';
import { runMediaBackfill } from './media-backfill-run.js';

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseBackfillArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadWorkerConfig(process.env);
  const unknown = command.apps.filter((name) => !config.apps.some((app) => app.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`no configured app named ${unknown.join(', ')}\n`);
    return 2;
  }
  const apps = config.apps.filter((app) => command.apps.length === 0 || command.apps.includes(app.name));
  const redis = createProducerRedis(config.redis.target);
  // Connected before the queue handle exists: it would otherwise start connecting it itself.
  await redis.connect();
  const queue = openQueue(mediaQueue, { connection: redis, prefix: config.redis.QUEUE_PREFIX });
  const prisma = createPrismaClient({ databaseUrl: config.database.DATABASE_URL, poolSize: 2 });
  try {
    await runMediaBackfill(
      { prisma, queue, apps, policy: { attempts: config.redis.QUEUE_JOB_ATTEMPTS }, write: (line) => process.stdout.write(line) },
      new Date(Date.now() - command.hours * 3_600_000),
    );
    return 0;
  } finally {
    await queue.close();
    redis.disconnect();
    await prisma.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`media:backfill: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
