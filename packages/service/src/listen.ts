import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts listening and resolves with the bound port (useful with port 0), or
 * rejects when the port is taken or not permitted: nothing is served then,
 * so the caller's start-up fails instead of running without its port.
 */
export async function listen(server: Server, port: number, host?: string): Promise<number> {
  const listening = once(server, 'listening');
  server.listen(port, host);
  await listening;
  return (server.address() as AddressInfo).port;
}
