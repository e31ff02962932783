import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface SilentPostgres {
  /** A postgresql:// URL whose server accepts connections and never answers. */
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** A hung database as a client sees it: connected, then silence. Only a caller's own bound ends a query. */
export async function startSilentPostgres(): Promise<SilentPostgres> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/none`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
