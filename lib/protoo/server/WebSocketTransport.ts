/**
 * WebSocketTransport (server side): one accepted WebSocket connection. It turns text
 * frames into `frame` events, drops binary frames, answers the server's heartbeat,
 * and closes with code 4000 by default, which tells a protoo client not to retry.
 *
 * Frames sent during one tick of the event loop leave in one write: the socket is
 * corked at the first send and uncorked when the tick ends (one callback for all the
 * sockets corked in that tick). A fan-out that sends many notifications to one client
 * then costs one system call, not one per frame.
 */
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter';
import { Logger } from '../Logger';
import { SendError } from '../errors';

const logger = new Logger('WebSocketTransport');

/** Close code that tells protoo clients not to reconnect. */
export const CLOSE_CODE_NO_RETRY = 4000;

/** A client that lets more than this many bytes queue up (it is not reading) is cut off. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface CloseInfo {
  code: number;
  reason: string;
}

export type WebSocketTransportEvents = {
  frame: [frame: string];
  close: [info: CloseInfo];
};

/** A serialized frame: a string, or UTF-8 bytes already encoded once for many recipients. */
export type Frame = string | Buffer;

const TEXT_FRAME = { binary: false } as const;

/** Transports corked during the current tick, uncorked together when it ends. */
const corked: WebSocketTransport[] = [];

function uncorkAll(): void {
  for (let i = 0; i < corked.length; i++) {
    try {
      corked[i]!.uncork();
    } catch (error) {
      logger.warn('uncork failed: %o', error);
    }
  }
  corked.length = 0;
}

export class WebSocketTransport extends EnhancedEventEmitter<WebSocketTransportEvents> {
  readonly #ws: WebSocket | undefined;
  /** A net.Socket in practice; typed as the Duplex that `upgrade` hands over. */
  readonly #socket: (Duplex & { remoteAddress?: string }) | undefined;
  #remoteAddress: string | undefined;
  #closed = false;
  #alive = true;
  #corked = false;
  /** The server's set of open transports, which this one leaves when it closes. */
  #registry: Set<WebSocketTransport> | undefined;

  /**
   * `ws` is undefined when the socket died before the connection could be accepted.
   * `socket` is the connection's TCP socket, corked to batch the frames of one tick.
   */
  constructor(ws: WebSocket | undefined, socket?: Duplex) {
    super(logger);
    this.#ws = ws;
    this.#socket = socket;
    if (!ws) {
      this.#closed = true;
      return;
    }
    ws.on('message', (data, isBinary) => {
      this.#alive = true;
      if (isBinary) {
        logger.warn('dropping binary frame from %s', this.remoteAddress);
        return;
      }
      this.safeEmit('frame', rawToString(data));
    });
    ws.on('pong', () => {
      this.#alive = true;
    });
    ws.on('error', (error) => {
      logger.warn('socket error from %s: %s', this.remoteAddress, error.message);
    });
    ws.on('close', (code, reason) => this.#onClosed(code, reason.toString()));
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

  /** Joins a set of open transports (the server's, for its heartbeat) until it closes. */
  register(registry: Set<WebSocketTransport>): void {
    if (this.#closed) return;
    this.#registry = registry;
    registry.add(this);
  }

  /** Sends one text frame. Throws SendError when closed. */
  send(frame: Frame): void {
    const ws = this.#ws;
    if (this.#closed || !ws) throw new SendError('transport closed');
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      logger.warn('closing %s: %d bytes queued, the client is not reading', this.remoteAddress, ws.bufferedAmount);
      ws.terminate();
      throw new SendError('transport overloaded');
    }
    if (!this.#corked && this.#socket) {
      this.#corked = true;
      this.#socket.cork();
      if (corked.length === 0) process.nextTick(uncorkAll);
      corked.push(this);
    }
    if (typeof frame === 'string') ws.send(frame);
    else ws.send(frame, TEXT_FRAME);
  }

  /** Writes the frames corked during this tick (called when the tick ends). */
  uncork(): void {
    this.#corked = false;
    this.#socket?.uncork();
  }

  /** Closes the connection; `close` is emitted at once, not when the socket finishes closing. */
  close(code: number = CLOSE_CODE_NO_RETRY, reason = 'closed by protoo'): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
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
   * One heartbeat tick: a connection that did not answer the previous ping (nor send
   * anything since) is terminated; otherwise it is pinged again. Returns false when
   * the connection is gone.
   */
  heartbeat(): boolean {
    if (this.#closed || !this.#ws) return false;
    if (!this.#alive) {
      logger.warn('terminating %s: no answer to heartbeat', this.remoteAddress);
      this.#ws.terminate();
      return false;
    }
    this.#alive = false;
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
