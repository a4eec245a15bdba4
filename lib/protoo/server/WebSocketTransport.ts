/**
 * WebSocketTransport (server side): one accepted WebSocket connection. It turns text
 * frames into `frame` events, drops binary frames, answers the server's heartbeat,
 * and closes with code 4000 by default, which tells a protoo client not to retry.
 *
 * Frames are written to the TCP socket as finished WebSocket bytes (`encodeFrame`):
 * a fan-out is encoded once, header included, and the same Buffer is written to every
 * recipient. This is safe because the server never negotiates permessage-deflate, so
 * `ws` never queues frames of its own ahead of ours (its pings, pongs and close frames
 * go straight to the same socket). A ping or pong may leave ahead of messages queued
 * earlier in the same turn (below), which WebSocket allows (control frames may come
 * between messages, RFC 6455 §5.4); after a close frame, the queue is dropped (`flush`).
 *
 * Frames sent during one turn of the event loop leave in one write: they are queued on
 * the transport and written in the turn's check phase (one `setImmediate` for all the
 * transports that queued in that turn), as one Buffer. A fan-out that sends many
 * notifications to one client then costs one system call, not one per frame, and so do
 * the requests of several clients read in the same turn (a burst of chats in one room:
 * each member gets them in one write); a client that gets one frame in a turn gets it
 * with a plain write.
 */
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter';
import { Logger } from '../Logger';
import { SendError } from '../errors';

const logger = new Logger('WebSocketTransport');

/** Close code that tells protoo clients not to reconnect. */
export const CLOSE_CODE_NO_RETRY = 4000;

/**
 * A client that lets more than this many bytes queue up (it is not reading) is cut off:
 * what the socket has not written yet plus the frames queued during this turn.
 */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface CloseInfo {
  code: number;
  reason: string;
}

export type WebSocketTransportEvents = {
  frame: [frame: string];
  close: [info: CloseInfo];
};

declare const encoded: unique symbol;

/** A text frame as WebSocket bytes (header and UTF-8 payload), made by `encodeFrame`. */
export type EncodedFrame = Buffer & { readonly [encoded]: true };

/** A serialized protoo message: JSON text, or a frame already encoded once for many recipients. */
export type Frame = string | EncodedFrame;

/** WebSocket.OPEN */
const WEBSOCKET_OPEN = 1;

/** FIN bit and the text opcode: a whole, unfragmented text message. */
const FIN_TEXT = 0x81;

/**
 * Encodes `text` as one unmasked WebSocket text frame (RFC 6455 §5.2), as a server
 * sends it: 2 header bytes up to 125 payload bytes, 4 up to 65,535, else 10.
 */
export function encodeFrame(text: string): EncodedFrame {
  const length = Buffer.byteLength(text);
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const bytes = Buffer.allocUnsafe(headerLength + length);
  bytes[0] = FIN_TEXT;
  if (headerLength === 2) {
    bytes[1] = length;
  } else if (headerLength === 4) {
    bytes[1] = 126;
    bytes.writeUInt16BE(length, 2);
  } else {
    bytes[1] = 127;
    bytes.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    bytes.writeUInt32BE(length >>> 0, 6);
  }
  bytes.write(text, headerLength, 'utf8');
  return bytes as EncodedFrame;
}

const kTransport = Symbol('WebSocketTransport');

/** A WebSocket that knows its transport, for the shared listeners. */
type OwnedWebSocket = WebSocket & { [kTransport]?: WebSocketTransport };

/** Transports that queued frames during the current turn of the event loop, flushed together in its check phase. */
const queued: WebSocketTransport[] = [];

function flushAll(): void {
  for (let i = 0; i < queued.length; i++) {
    try {
      queued[i]!.flush();
    } catch (error) {
      logger.warn('flush failed: %o', error);
    }
  }
  queued.length = 0;
}

export class WebSocketTransport extends EnhancedEventEmitter<WebSocketTransportEvents> {
  readonly #ws: WebSocket | undefined;
  /** The connection's TCP socket (a net.Socket; typed as the Duplex `upgrade` hands over). */
  readonly #socket: (Duplex & { remoteAddress?: string }) | undefined;
  #remoteAddress: string | undefined;
  #closed = false;
  /** Something came from the client since the heartbeat's last visit (a new connection counts). */
  #heard = true;
  /** The heartbeat pinged the client at its last visit. */
  #pinged = false;
  /** Frames sent during this turn, not yet written: none, one, or several. */
  #queue: Buffer | Buffer[] | undefined;
  /** The bytes in #queue. */
  #queuedBytes = 0;
  /** The server's set of open transports, which this one leaves when it closes. */
  #registry: Set<WebSocketTransport> | undefined;

  /**
   * `ws` is undefined when the socket died before the connection could be accepted.
   * `socket` is the TCP socket `ws` was accepted on: frames are written to it.
   */
  constructor(ws: WebSocket | undefined, socket?: Duplex) {
    super(logger);
    this.#ws = ws;
    this.#socket = socket;
    if (!ws) {
      this.#closed = true;
      return;
    }
    if (!socket) throw new TypeError('WebSocketTransport needs the socket the WebSocket was accepted on');
    // The listeners are shared by all connections (no closures per connection): `ws`
    // calls them on the WebSocket, which points back to its transport.
    (ws as OwnedWebSocket)[kTransport] = this;
    ws.on('message', WebSocketTransport.#onMessage);
    ws.on('pong', WebSocketTransport.#onPong);
    ws.on('error', WebSocketTransport.#onError);
    ws.on('close', WebSocketTransport.#onClose);
  }

  static #onMessage(this: OwnedWebSocket, data: RawData, isBinary: boolean): void {
    const transport = this[kTransport]!;
    transport.#heard = true;
    if (isBinary) {
      logger.warn('dropping binary frame from %s', transport.remoteAddress);
      return;
    }
    transport.safeEmit('frame', rawToString(data));
  }

  static #onPong(this: OwnedWebSocket): void {
    this[kTransport]!.#heard = true;
  }

  static #onError(this: OwnedWebSocket, error: Error): void {
    logger.warn('socket error from %s: %s', this[kTransport]!.remoteAddress, error.message);
  }

  static #onClose(this: OwnedWebSocket, code: number, reason: Buffer): void {
    this[kTransport]!.#onClosed(code, reason.toString());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The client's address ('' when unknown). Read on first use, which costs a system
   * call; it is only needed for log lines, so most connections never pay it.
   */
  get remoteAddress(): string {
    this.#remoteAddress ??= this.#socket?.remoteAddress ?? '';
    return this.#remoteAddress;
  }

  /**
   * Joins a set of open transports (one of the server's heartbeat groups) until it
   * closes, leaving the set it was in before, if any.
   */
  register(registry: Set<WebSocketTransport>): void {
    if (this.#closed) return;
    this.#registry?.delete(this);
    this.#registry = registry;
    registry.add(this);
  }

  /**
   * Sends one text frame. Throws SendError when closed; drops the frame, as `ws` does,
   * when the closing handshake has begun.
   */
  send(frame: Frame): void {
    const ws = this.#ws;
    const socket = this.#socket;
    if (this.#closed || !ws || !socket) throw new SendError('transport closed');
    if (ws.readyState !== WEBSOCKET_OPEN) return;
    const bytes = typeof frame === 'string' ? encodeFrame(frame) : frame;
    const pending = socket.writableLength + this.#queuedBytes + bytes.length;
    if (pending > MAX_BUFFERED_BYTES) {
      logger.warn('closing %s: %d bytes queued, the client is not reading', this.remoteAddress, pending);
      ws.terminate();
      throw new SendError('transport overloaded');
    }
    this.#queuedBytes += bytes.length;
    const queue = this.#queue;
    if (queue === undefined) {
      this.#queue = bytes;
      if (queued.length === 0) setImmediate(flushAll);
      queued.push(this);
    } else if (Array.isArray(queue)) {
      queue.push(bytes);
    } else {
      this.#queue = [queue, bytes];
    }
  }

  /**
   * Writes the frames queued during this turn (called in its check phase), unless the
   * closing handshake began meanwhile: nothing may follow a close frame.
   */
  flush(): void {
    const queue = this.#queue;
    if (queue === undefined) return;
    this.#queue = undefined;
    this.#queuedBytes = 0;
    if (this.#ws?.readyState !== WEBSOCKET_OPEN) return;
    this.#socket!.write(Array.isArray(queue) ? Buffer.concat(queue) : queue);
  }

  /** Closes the connection; `close` is emitted at once, not when the socket finishes closing. */
  close(code: number = CLOSE_CODE_NO_RETRY, reason = 'closed by protoo'): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.flush(); // what was sent before close() goes before the close frame
      this.#ws?.close(code, reason);
    } catch (error) {
      logger.warn('close() failed: %o', error);
      this.#ws?.terminate();
    }
    this.#registry?.delete(this);
    this.safeEmit('close', { code, reason });
    this.removeAllListeners();
  }

  /**
   * A visit of the heartbeat (twice per interval, Heartbeat.ts). When something came
   * from the client since the last visit, it is alive and is not pinged; otherwise it
   * is pinged, or terminated when it was pinged at the last visit and did not answer.
   * Returns false when the connection is gone.
   */
  heartbeat(): boolean {
    if (this.#closed || !this.#ws) return false;
    if (this.#heard) {
      this.#heard = false;
      this.#pinged = false;
      return true;
    }
    if (this.#pinged) {
      logger.warn('terminating %s: no answer to heartbeat', this.remoteAddress);
      this.#ws.terminate();
      return false;
    }
    this.#pinged = true;
    this.#ws.ping();
    return true;
  }

  #onClosed(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    logger.debug('connection from %s closed [code:%d, reason:"%s"]', this.remoteAddress, code, reason);
    this.#registry?.delete(this);
    this.safeEmit('close', { code, reason });
    this.removeAllListeners();
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
