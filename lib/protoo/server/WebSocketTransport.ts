/**
 * WebSocketTransport (server side): one accepted WebSocket connection. It turns text
 * frames into `frame` events, drops binary frames, answers the server's heartbeat,
 * and closes with code 4000 by default, which tells a protoo client not to retry.
 */
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

export class WebSocketTransport extends EnhancedEventEmitter<WebSocketTransportEvents> {
  readonly #ws: WebSocket | undefined;
  readonly remoteAddress: string;
  #closed = false;
  #alive = true;

  /** `ws` is undefined when the socket died before the connection could be accepted. */
  constructor(ws: WebSocket | undefined, remoteAddress = '') {
    super(logger);
    this.#ws = ws;
    this.remoteAddress = remoteAddress;
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

  /** Sends one text frame. Throws SendError when closed. */
  send(frame: string): void {
    if (this.#closed || !this.#ws) throw new SendError('transport closed');
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      logger.warn('closing %s: %d bytes queued, the client is not reading', this.remoteAddress, this.#ws.bufferedAmount);
      this.#ws.terminate();
      throw new SendError('transport overloaded');
    }
    this.#ws.send(frame);
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
    this.safeEmit('close', { code, reason });
    this.removeAllListeners();
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
