/**
 * signaling: accepts protoo connections and answers the app protocol's requests.
 * Every payload is validated against lib/signaling/protocol before it is acted on.
 */
import { Peer, WebSocketServer, type PeerOptions } from '../lib/protoo/server';
import { requestSchemas, type ClientSends, type ServerSends } from '../lib/signaling/protocol';
import type { Config } from './config';
import type { Logger } from './logger';

/** Close code for a server shutdown: clients reconnect with backoff (unlike 4000). */
export const CLOSE_CODE_GOING_AWAY = 1001;

type ServerPeer = Peer<ServerSends, ClientSends>;

export class Signaling {
  readonly wss: WebSocketServer;
  readonly #peers = new Set<ServerPeer>();
  readonly #logger: Logger;
  readonly #peerOptions: PeerOptions = {};
  #closed = false;

  constructor(config: Pick<Config, 'heartbeatIntervalMs' | 'maxFrameBytes'>, logger: Logger) {
    this.#logger = logger;
    this.wss = new WebSocketServer(null, { heartbeatInterval: config.heartbeatIntervalMs, maxFrameSize: config.maxFrameBytes });
    this.wss.on('connectionrequest', (info, accept) => {
      const peer = new Peer<ServerSends, ClientSends>(crypto.randomUUID(), accept(), this.#peerOptions);
      this.#peers.add(peer);
      peer.on('close', () => this.#peers.delete(peer));
      peer.on('request', (request, respond, reject) => {
        const schema = requestSchemas[request.method];
        const parsed = schema.data.safeParse(request.data);
        if (!parsed.success) return reject(400, `invalid ${request.method} payload`);
        respond({ serverTime: Date.now() });
      });
      this.#logger.debug({ peerId: peer.id, address: info.request.socket.remoteAddress }, 'peer connected');
    });
  }

  get peerCount(): number {
    return this.#peers.size;
  }

  /** Stops taking connections, tells every peer why, and closes them (they will reconnect). */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.wss.stop();
    for (const peer of this.#peers) {
      peer.notify('serverClosing', { reason }).catch(() => undefined);
      peer.close(CLOSE_CODE_GOING_AWAY, reason);
    }
  }
}
