/**
 * Room: a set of peers with unique ids. A peer leaves the room by itself when it
 * closes; closing the room closes every peer and emits `close` once. `spread`
 * serializes a notification once and sends the same frame to every recipient.
 */
import { EnhancedEventEmitter } from '../EnhancedEventEmitter';
import { Logger } from '../Logger';
import { notificationText } from '../Message';
import type { DataArgs, LooseProtocol, NotificationMethod, Protocol } from '../types';
import { Peer, type PeerOptions } from './Peer';
import { encodeFrame, type EncodedFrame, type WebSocketTransport } from './WebSocketTransport';

const logger = new Logger('Room');

export type RoomEvents = {
  close: [];
};

export class Room<Out extends Protocol = LooseProtocol, In extends Protocol = LooseProtocol> extends EnhancedEventEmitter<RoomEvents> {
  readonly #peers = new Map<string, Peer<Out, In>>();
  readonly #peerOptions: PeerOptions;
  #closed = false;

  constructor(peerOptions: PeerOptions = {}) {
    super(logger);
    this.#peerOptions = peerOptions;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A new array of the peers in the room. */
  get peers(): Peer<Out, In>[] {
    return [...this.#peers.values()];
  }

  get peerCount(): number {
    return this.#peers.size;
  }

  /** Resolves to the new Peer; rejects on a closed room, an empty id or an id already in the room. */
  async createPeer(peerId: string, transport: WebSocketTransport): Promise<Peer<Out, In>> {
    if (this.#closed) throw new Error('room closed');
    if (typeof peerId !== 'string' || peerId === '') throw new TypeError('peerId must be a non-empty string');
    if (this.#peers.has(peerId)) throw new Error(`there is already a peer with id "${peerId}"`);
    const peer = new Peer<Out, In>(peerId, transport, this.#peerOptions);
    this.#peers.set(peerId, peer);
    peer.on('close', () => {
      if (this.#peers.get(peerId) === peer) this.#peers.delete(peerId);
    });
    return peer;
  }

  hasPeer(peerId: string): boolean {
    return this.#peers.has(peerId);
  }

  getPeer(peerId: string): Peer<Out, In> | undefined {
    return this.#peers.get(peerId);
  }

  /**
   * Notifies every peer but the excluded ones (Peer instances or ids). The frame is
   * serialized once; a peer that cannot receive it is skipped.
   */
  spread<M extends NotificationMethod<Out>>(
    method: M,
    data: DataArgs<Out['notifications'][M]>[0],
    excluded: readonly (Peer<Out, In> | string)[] = [],
  ): void {
    let frame: EncodedFrame;
    try {
      // Encoded once: every recipient gets the same bytes.
      frame = encodeFrame(notificationText(method, data));
    } catch (error) {
      logger.error('spread() | "%s" data is not serializable: %o', method, error);
      return;
    }
    for (const peer of this.#peers.values()) {
      if (excluded.length > 0 && (excluded.includes(peer) || excluded.includes(peer.id))) continue;
      peer.sendFrame(frame);
    }
  }

  close(code?: number, reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) peer.close(code, reason);
    this.#peers.clear();
    this.safeEmit('close');
    this.removeAllListeners();
  }
}
