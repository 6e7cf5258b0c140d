/**
 * A TCP proxy on 127.0.0.1 in front of the test PostgreSQL server that can go silent: `freeze()` stops
 * passing bytes either way while keeping both sockets open, which is what a network partition (or a NAT
 * that forgot the connection) looks like to both ends: no error, no close, only no answer.
 */
import net from 'node:net';

export interface FreezableProxy {
  /** the server URL with host and port replaced by the proxy's */
  url: string;
  freeze(): void;
  close(): Promise<void>;
}

export async function freezableProxy(serverUrl: string): Promise<FreezableProxy> {
  const target = new URL(serverUrl);
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (d) => frozen || to.write(d));
      from.on('error', () => to.destroy());
      from.on('close', () => frozen || to.destroy());
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const u = new URL(serverUrl);
  u.hostname = '127.0.0.1';
  u.port = String((server.address() as net.AddressInfo).port);
  return {
    url: u.toString(),
    freeze: () => (frozen = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
