/**
 * A TCP proxy for tests, on 127.0.0.1 port 0 in front of a target port, that can cut
 * every connection at once (an abrupt network drop) and refuse new ones for a while.
 * Used to drop a client's signaling socket without touching its peer connections.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Destroys every proxied connection now. */
  cut(): void;
  /** Cuts every connection and refuses new ones for `ms`. */
  outage(ms: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let refuseUntil = 0;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((inbound) => {
    track(inbound);
    if (Date.now() < refuseUntil) {
      inbound.destroy();
      return;
    }
    const outbound = connect(targetPort, targetHost);
    track(outbound);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.once('close', () => outbound.destroy());
    outbound.once('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port: (server.address() as AddressInfo).port,
    cut,
    outage(ms) {
      refuseUntil = Date.now() + ms;
      cut();
    },
    close: () =>
      new Promise((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
