/**
 * The parts of the official protoo-server@4 and protoo-client@4 packages (plain
 * JavaScript, no types of their own) that the interoperability tests use.
 */
declare module 'protoo-server' {
  import type { Server } from 'node:http';

  type Accept = (data?: unknown) => void;
  type Reject = (code: number | Error, reason?: string) => void;

  export class WebSocketTransport {}
  export class WebSocketServer {
    constructor(httpServer: Server, options?: object);
    on(event: 'connectionrequest', listener: (info: { request: { url?: string } }, accept: () => WebSocketTransport, reject: (code?: number, reason?: string) => void) => void): this;
    stop(): void;
  }
  export class Peer {
    readonly id: string;
    readonly closed: boolean;
    request(method: string, data?: unknown): Promise<unknown>;
    notify(method: string, data?: unknown): Promise<void>;
    close(): void;
    on(event: 'request', listener: (request: { method: string; data: unknown }, accept: Accept, reject: Reject) => void): this;
    on(event: 'notification', listener: (notification: { method: string; data: unknown }) => void): this;
    on(event: 'close', listener: () => void): this;
  }
  export class Room {
    readonly peers: Peer[];
    /** Synchronous in 4.0.8, although its documentation calls it async. */
    createPeer(peerId: string, transport: WebSocketTransport): Peer;
    close(): void;
  }
  const protooServer: { WebSocketServer: typeof WebSocketServer; Room: typeof Room; version: string };
  export default protooServer;
}

declare module 'protoo-client' {
  type Accept = (data?: unknown) => void;
  type Reject = (code: number | Error, reason?: string) => void;

  export class WebSocketTransport {
    constructor(url: string, options?: { retry?: object });
  }
  export class Peer {
    constructor(transport: WebSocketTransport);
    readonly closed: boolean;
    readonly connected: boolean;
    request(method: string, data?: unknown): Promise<unknown>;
    notify(method: string, data?: unknown): Promise<void>;
    close(): void;
    on(event: 'open' | 'disconnected' | 'close', listener: () => void): this;
    on(event: 'failed', listener: (attempt: number) => void): this;
    on(event: 'request', listener: (request: { method: string; data: unknown }, accept: Accept, reject: Reject) => void): this;
    on(event: 'notification', listener: (notification: { method: string; data: unknown }) => void): this;
    once(event: string, listener: (...args: unknown[]) => void): this;
  }
  const protooClient: { WebSocketTransport: typeof WebSocketTransport; Peer: typeof Peer; version: string };
  export default protooClient;
}
