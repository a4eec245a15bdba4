/**
 * Test helpers for lib/protoo: a real HTTP server on 127.0.0.1 port 0 carrying a
 * protoo WebSocketServer, clients on the `ws` package, and a bounded wait for events.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket } from 'ws';
import { Peer as ClientPeer } from './client/Peer';
import { WebSocketTransport as ClientTransport, type ClientTransportOptions } from './client/WebSocketTransport';
import { type Peer as ServerPeer } from './server/Peer';
import type { Room } from './server/Room';
import { WebSocketServer, type WebSocketServerOptions } from './server/WebSocketServer';
import type { LooseProtocol, Protocol } from './types';

export interface TestServer {
  httpServer: Server;
  wss: WebSocketServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startTestServer(options: WebSocketServerOptions = {}, port = 0): Promise<TestServer> {
  const httpServer = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer(httpServer, options);
  // Upgraded sockets leave the HTTP server's bookkeeping: track them to end them on close.
  const sockets = new Set<Socket>();
  httpServer.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (httpServer.address() as AddressInfo).port;
  return {
    httpServer,
    wss,
    port: actualPort,
    url: `ws://127.0.0.1:${actualPort}${options.path ?? '/'}`,
    close: () => {
      wss.stop();
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** A protoo client transport on the `ws` package, with fast retries unless told otherwise. */
export function connectClient(url: string, options: ClientTransportOptions = {}): ClientTransport {
  return new ClientTransport(url, {
    WebSocket,
    retry: { retries: 3, minTimeout: 20, maxTimeout: 100, randomize: false },
    ...options,
  });
}

interface Listenable<Args extends unknown[]> {
  once(event: string, listener: (...args: Args) => unknown): unknown;
}

/** Resolves with the arguments of the next `event`, or rejects after `ms`. */
export function nextEvent<Args extends unknown[] = unknown[]>(emitter: Listenable<Args>, event: string, ms = 5000): Promise<Args> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" event within ${ms} ms`)), ms);
    emitter.once(event, (...args: Args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true, or rejects after `ms`. */
export async function waitFor(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A server-side peer and the client peer connected to it, through a real socket. */
export async function connectPair<ClientSends extends Protocol = LooseProtocol, ServerSends extends Protocol = LooseProtocol>(
  server: TestServer,
  room: Room<ServerSends, ClientSends>,
  peerId = 'alice',
  options: ClientTransportOptions = {},
): Promise<{ serverPeer: ServerPeer<ServerSends, ClientSends>; clientPeer: ClientPeer<ClientSends, ServerSends> }> {
  const created = new Promise<ServerPeer<ServerSends, ClientSends>>((resolve, reject) => {
    server.wss.once('connectionrequest', (_info, accept) => {
      room.createPeer(peerId, accept()).then(resolve, reject);
    });
  });
  const clientPeer = new ClientPeer<ClientSends, ServerSends>(connectClient(server.url, options));
  const [serverPeer] = await Promise.all([created, nextEvent(clientPeer, 'open')]);
  return { serverPeer, clientPeer };
}
