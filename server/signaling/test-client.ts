/**
 * Test helpers for the signaling server: a real server (no Next) on 127.0.0.1 port 0,
 * and protoo clients in Node that record what they receive.
 */
import { Peer, type ClientTransportOptions, type IncomingNotification } from '../../lib/protoo/client';
import { connectClient, nextEvent } from '../../lib/protoo/test-utils';
import type { ClientSends, JoinResponse, RequestData, ServerNotifications, ServerSends } from '../../lib/signaling/protocol';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../server';

export type Notification = IncomingNotification<ServerSends>;

export async function startSignalingServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return startServer(loadConfig({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'test', ...env }), { next: false });
}

export interface ClientOptions {
  roomId?: string;
  peerId: string;
  transport?: ClientTransportOptions;
}

export class TestClient {
  readonly peer: Peer<ClientSends, ServerSends>;
  readonly peerId: string;
  readonly received: Notification[] = [];
  joined: JoinResponse | undefined;
  #waiters = new Set<() => void>();

  private constructor(peer: Peer<ClientSends, ServerSends>, peerId: string) {
    this.peer = peer;
    this.peerId = peerId;
    peer.on('notification', (notification) => {
      this.received.push(notification);
      for (const wake of this.#waiters) wake();
    });
  }

  static url(server: { port: number }, options: Omit<ClientOptions, 'transport'>): string {
    const query = new URLSearchParams({ peerId: options.peerId, ...(options.roomId ? { roomId: options.roomId } : {}) });
    return `ws://127.0.0.1:${server.port}/protoo?${query.toString()}`;
  }

  static async connect(server: { port: number }, options: ClientOptions): Promise<TestClient> {
    const peer = new Peer<ClientSends, ServerSends>(connectClient(TestClient.url(server, options), { retry: { retries: 0 }, ...options.transport }));
    const client = new TestClient(peer, options.peerId);
    await nextEvent(peer, 'open');
    return client;
  }

  /** Connects to `roomId` and joins it. */
  static async join(server: { port: number }, roomId: string, peerId: string, data: Partial<RequestData<'join'>> = {}): Promise<TestClient> {
    const client = await TestClient.connect(server, { roomId, peerId });
    client.joined = await client.peer.request('join', { displayName: peerId, ...data });
    return client;
  }

  /** The data of the first notification of `method` matching `match` (waiting for it). */
  async next<M extends keyof ServerNotifications>(
    method: M,
    match: (data: ServerNotifications[M]) => boolean = () => true,
    ms = 3000,
  ): Promise<ServerNotifications[M]> {
    const find = (): ServerNotifications[M] | undefined => {
      const found = this.received.find((n) => n.method === method && match(n.data as ServerNotifications[M]));
      return found?.data as ServerNotifications[M] | undefined;
    };
    const existing = find();
    if (existing) return existing;
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const found = find();
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.peerId}: no "${method}" notification within ${ms} ms; got ${this.received.map((n) => n.method).join(', ') || 'nothing'}`));
      }, ms);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      this.#waiters.add(wake);
    });
  }

  methods(): string[] {
    return this.received.map((notification) => notification.method);
  }

  close(): void {
    this.peer.close();
  }
}

export { startTcpProxy, type TcpProxy } from '../testing/tcpProxy';
