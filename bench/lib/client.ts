/**
 * BenchClient: the load generator's lean protoo client. A raw `ws` socket that writes
 * protoo request frames itself (payloads pre-serialized by the scenarios, so sending
 * costs a string concatenation) and reads every frame with one JSON.parse. It has no
 * reconnect, no per-request timer and no event emitter, so its overhead is small and
 * the same whichever server it talks to. Timeouts live in the scenarios (bounded drains).
 */
import { WebSocket } from 'ws';

export interface Frame {
  request?: boolean;
  response?: boolean;
  notification?: boolean;
  id?: number;
  method?: string;
  ok?: boolean;
  data?: Record<string, unknown>;
  errorCode?: number;
  errorReason?: string;
}

/** `error` is set for an error response (or when the socket closed before the response). */
export type ResponseCallback = (error: string | undefined, data: Record<string, unknown> | undefined) => void;
export type NotificationListener = (method: string, data: Record<string, unknown>) => void;

const noop = (): void => {};

export function signalingUrl(port: number, peerId: string, roomId: string): string {
  return `ws://127.0.0.1:${port}/protoo?peerId=${encodeURIComponent(peerId)}&roomId=${encodeURIComponent(roomId)}`;
}

export class BenchClient {
  readonly peerId: string;
  readonly roomId: string;
  readonly ws: WebSocket;
  onNotification: NotificationListener = noop;
  /** Error responses and frames that could not be read. */
  problems = 0;
  #nextId = 1;
  readonly #pending = new Map<number, ResponseCallback>();
  #closed = false;

  private constructor(ws: WebSocket, peerId: string, roomId: string) {
    this.ws = ws;
    this.peerId = peerId;
    this.roomId = roomId;
    ws.on('message', (raw: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.problems++;
        return;
      }
      let frame: Frame;
      try {
        frame = JSON.parse(raw.toString('utf8')) as Frame;
      } catch {
        this.problems++;
        return;
      }
      if (frame.notification === true) {
        this.onNotification(frame.method ?? '', frame.data ?? {});
      } else if (frame.response === true && frame.id !== undefined) {
        const callback = this.#pending.get(frame.id);
        if (!callback) {
          this.problems++;
          return;
        }
        this.#pending.delete(frame.id);
        if (frame.ok === true) callback(undefined, frame.data ?? {});
        else callback(`${frame.errorCode ?? '?'} ${frame.errorReason ?? ''}`, undefined);
      } else {
        this.problems++;
      }
    });
    ws.on('close', () => this.#onClosed());
  }

  /** Opens a connection; rejects on a refusal, an error or after `timeoutMs`. */
  static connect(port: number, peerId: string, roomId: string, timeoutMs: number): Promise<BenchClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(signalingUrl(port, peerId, roomId), 'protoo', { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const fail = (error: Error): void => {
        ws.removeAllListeners();
        ws.on('error', noop);
        ws.terminate();
        reject(error);
      };
      ws.once('open', () => {
        ws.removeAllListeners();
        ws.on('error', noop);
        resolve(new BenchClient(ws, peerId, roomId));
      });
      ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`)));
      ws.once('error', fail);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends a request whose data is already JSON. Returns false when the socket is not open. */
  requestRaw(method: string, dataJson: string, callback: ResponseCallback = noop): boolean {
    if (this.#closed || this.ws.readyState !== WebSocket.OPEN) {
      // A closing socket counts as closed from here on (callers stop sending).
      this.close();
      callback('socket not open', undefined);
      return false;
    }
    const id = this.#nextId++;
    this.#pending.set(id, callback);
    this.ws.send(`{"request":true,"id":${id},"method":"${method}","data":${dataJson}}`);
    return true;
  }

  request(method: string, data: unknown, callback?: ResponseCallback): boolean {
    return this.requestRaw(method, JSON.stringify(data), callback);
  }

  /** A request as a promise, rejected on an error response or after `timeoutMs`. */
  call(method: string, data: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no response within ${timeoutMs} ms`)), timeoutMs);
      this.request(method, data, (error, response) => {
        clearTimeout(timer);
        if (error !== undefined) reject(new Error(`${method}: ${error}`));
        else resolve(response ?? {});
      });
    });
  }

  /** Drops the connection at once (no closing handshake to wait for). */
  close(): void {
    if (this.#closed) return;
    this.ws.terminate();
    this.#onClosed();
  }

  #onClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const callback of pending) callback('socket closed', undefined);
  }
}
