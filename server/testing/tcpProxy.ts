/**
 * A TCP proxy for tests, on 127.0.0.1 port 0 in front of a target port, that can cut
 * every connection at once (an abrupt network drop) and refuse new ones for a while, or
 * freeze them (a network that went away silently: the sockets stay open, nothing passes,
 * and neither end is told when the other closes). Used to lose a client's signaling
 * socket without touching its peer connections.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Destroys every proxied connection now. */
  cut(): void;
  /** Cuts every connection and refuses new ones for `ms`. */
  outage(ms: number): void;
  /** Stops every open connection passing anything, both ways, for good; new ones pass. */
  freeze(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  /** For each connection still passing bytes: what freezes it. */
  const passing = new Set<() => void>();
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
    const closeOutbound = (): void => void outbound.destroy();
    const closeInbound = (): void => void inbound.destroy();
    inbound.once('close', closeOutbound);
    outbound.once('close', closeInbound);
    const freeze = (): void => {
      inbound.unpipe(outbound);
      outbound.unpipe(inbound);
      inbound.pause();
      outbound.pause();
      inbound.off('close', closeOutbound);
      outbound.off('close', closeInbound);
    };
    passing.add(freeze);
    inbound.once('close', () => passing.delete(freeze));
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
    freeze() {
      for (const freeze of passing) freeze();
      passing.clear();
    },
    close: () =>
      new Promise((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
