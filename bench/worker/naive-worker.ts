// Variant (b): what the original design did per request — the same decrypt,
// verify and normalize as our worker, then one Prisma `create` per job.
// A unique violation (a duplicate delivery) counts as done, so it stores
// every message once too; only the persistence strategy differs.
import { createPrismaClient } from '@wxcs/db';
import { inboundCallbackSchema } from '@wxcs/queue';
import { createAppDirectory } from '@wxcs/wechat';
import { prepareMessage } from '../../apps/worker/src/processors/prepare-message.js';
import { runBaselineWorker } from './baseline-worker.js';
import { BENCH_APP, readBenchEnv } from './child-env.js';

const env = readBenchEnv();
const apps = createAppDirectory([BENCH_APP]);
const prisma = createPrismaClient({ databaseUrl: env.databaseUrl, poolSize: env.poolSize });

async function processJob(data: unknown): Promise<{ outcome: string }> {
  const { row } = prepareMessage(inboundCallbackSchema.parse(data), apps);
  const { payloadJson, ...columns } = row;
  try {
    // Every payload scalar is a string, so JSON.parse is exact here.
    await prisma.customerMessage.create({ data: { ...columns, payload: JSON.parse(payloadJson) as object } });
    return { outcome: 'inserted' };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return { outcome: 'duplicate' };
    throw error;
  }
}

await runBaselineWorker((job) => processJob(job.data), () => prisma.$disconnect());
