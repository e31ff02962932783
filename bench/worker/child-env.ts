import type { WechatAppConfig } from '@wxcs/config';

/** The mini program the benchmark's callbacks are addressed to and signed for. */
export const BENCH_APP: WechatAppConfig = {
  name: 'bench',
  token: 'benchToken2024',
  encodingAesKey: 'elo4GbI8WX69nPANfhH7GzDQn3NuHjdJSI2qUqILPyp',
  appId: 'wx5be0c4a9f1d27e38',
  transferToCustomerService: false,
  // The workload mixes safe (90%) and compatible (10%) envelopes; a 'safe' app refuses the latter.
  messageEncryption: 'compatible',
};

export interface BenchEnv {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly databaseUrl: string;
  readonly concurrency: number;
  readonly poolSize: number;
}

/** The baseline workers take the same variables as the real worker, so all three run alike. */
export function readBenchEnv(env: NodeJS.ProcessEnv = process.env): BenchEnv {
  return {
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: env.QUEUE_PREFIX ?? 'bench',
    databaseUrl: env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bench',
    concurrency: Number(env.WORKER_CONCURRENCY ?? 64),
    poolSize: Number(env.DATABASE_POOL_SIZE ?? 10),
  };
}

/** The orchestrator waits for this line before it starts the clock. */
export function signalReady(): void {
  console.log(JSON.stringify({ msg: 'worker started' }));
}
