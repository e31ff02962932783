import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { makeTempDir } from './receiver-harness.js';

/** A private redis-server a test may stop, pause and restart without touching the shared one. */
export interface ThrowawayRedis {
  readonly url: string;
  readonly start: () => Promise<void>;
  /** Clean stop (SIGTERM); with no persistence configured the data is gone. */
  readonly stop: () => Promise<void>;
  /** SIGSTOP: connections stay open but nothing is answered, like a stalled server. */
  readonly pause: () => void;
  readonly resume: () => void;
  readonly dispose: () => Promise<void>;
}

async function sparePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await sparePort();
  const dir = await makeTempDir('redis');
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir.path];
    const spawned = spawn('/usr/bin/redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child = spawned;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      spawned.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      spawned.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
    spawned.stdout.resume();
  }

  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGCONT');
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    dispose: async () => {
      await stop();
      await dir.remove();
    },
  };
}
