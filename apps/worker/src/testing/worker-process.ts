import { freePort, startAppProcess, type AppProcess } from '@wxcs/testkit';
import { testWorkerEnv, type TestWorkerOptions } from './test-worker.js';

/**
 * The real worker (src/main.ts through tsx, workspace packages from source)
 * as a child process with the same settings as startTestWorker's, for tests
 * that kill or signal it. Resolves once its /readyz answers 200.
 */
export async function spawnWorker(options: TestWorkerOptions): Promise<AppProcess> {
  const worker = startAppProcess({
    app: 'worker',
    port: await freePort(),
    env: { ...testWorkerEnv(options), LOG_LEVEL: 'info', ...options.env },
  });
  try {
    await worker.waitReady();
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}
