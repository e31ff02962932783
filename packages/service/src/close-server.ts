import type { Server } from 'node:http';

/**
 * Stops accepting connections and resolves once in-flight requests have
 * been answered. Keep-alive connections are closed as soon as they are idle:
 * one whose request finishes after close() only becomes idle later, so idle
 * connections are swept until the server has closed.
 */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.once('close', () => clearInterval(sweep));
  });
}
