import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

const LOWEST_PORT = 10_000;

/** Ports this process has handed out: two picks in a row, neither bound yet, must differ. */
const handedOut = new Set<number>();

/**
 * Ports below the kernel's ephemeral range. A port the OS hands out for
 * `listen(0)` comes from that range, and so does the local port of every
 * outgoing connection: a port that was free when a test picked it could be a
 * client socket's by the time a server (or a restarted one) binds it.
 */
async function portsOutsideEphemeralRange(): Promise<{ low: number; high: number }> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768 60999');
  const [ephemeralLow = 32_768, ephemeralHigh = 60_999] = range.trim().split(/\s+/).map(Number);
  if (ephemeralLow - LOWEST_PORT > 2_000) return { low: LOWEST_PORT, high: ephemeralLow - 1 };
  return { low: ephemeralHigh + 1, high: 65_535 };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port on 127.0.0.1 that nobody listens on right now, picked at random
 * outside the ephemeral range so that only another test's server can take it
 * before the caller binds it.
 */
export async function freePort(): Promise<number> {
  const { low, high } = await portsOutsideEphemeralRange();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high} after 100 tries`);
}
