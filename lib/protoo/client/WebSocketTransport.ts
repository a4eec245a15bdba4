/**
 * WebSocketTransport (client side): a WebSocket to a protoo server that reconnects by
 * itself. Runs on the browser's WebSocket, or on any constructor with the same shape
 * (such as the `ws` package's in Node 20, which has no global WebSocket).
 *
 * States: CONNECTING → OPEN → (dropped) CONNECTING ... → CLOSED, with WAITING between
 * failed attempts. Events:
 * - `open`: connected (again);
 * - `failed(attempt)`: a connection attempt failed; another follows after a backoff
 *   (protoo's defaults: 10 retries, factor 2, 1 s to 8 s, plus jitter);
 * - `disconnected`: an open connection dropped; reconnecting starts at once;
 * - `close(info)`: final. After close(), after the retries run out, or when the server
 *   closed with code 4000 (which means: do not retry).
 *
 * A browser cannot see a connection that died silently (a network that went away without
 * a TCP reset): its WebSocket stays open for minutes. With the `liveness` option the
 * transport notices: after `idleMs` without a frame from the server it calls `probe`
 * (which sends something the server answers), and if nothing at all arrives within
 * `timeoutMs` after that, it drops the socket and reconnects, as if the server had.
 */
import { EnhancedEventEmitter } from '../EnhancedEventEmitter';
import { Logger } from '../Logger';
import { SendError } from '../errors';

const logger = new Logger('WebSocketTransport');

export const WS_SUBPROTOCOL = 'protoo';

/** Close code with which a protoo server says: do not reconnect. */
export const CLOSE_CODE_NO_RETRY = 4000;

export interface RetryOptions {
  /** Retries after the first attempt before giving up. */
  retries: number;
  factor: number;
  /** Milliseconds before the first retry. */
  minTimeout: number;
  /** Upper bound of a backoff in milliseconds. */
  maxTimeout: number;
  /** Multiply each backoff by a random factor in [1, 2) so clients do not return in step. */
  randomize: boolean;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 10,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 8000,
  randomize: true,
};

type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the W3C WebSocket this transport uses. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols: string | string[]) => WebSocketLike;

export interface LivenessOptions {
  /** Milliseconds without a frame from the server before probing. */
  idleMs: number;
  /** Milliseconds after a probe within which some frame must arrive, else the transport reconnects. */
  timeoutMs: number;
  /** Sends something the server answers (such as a protoo request). */
  probe: () => void;
}

export interface ClientTransportOptions {
  retry?: Partial<RetryOptions>;
  /** Probe a quiet connection and reconnect when it turns out dead. Off by default. */
  liveness?: LivenessOptions;
  /** Milliseconds a connection attempt may take before it counts as failed. Default 10000. */
  connectTimeout?: number;
  /** Defaults to the global WebSocket. */
  WebSocket?: WebSocketConstructor;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export type WebSocketTransportEvents = {
  open: [];
  failed: [attempt: number];
  disconnected: [];
  close: [info: CloseInfo];
  frame: [frame: string];
};

type State = 'CONNECTING' | 'OPEN' | 'WAITING' | 'CLOSED';

const noop = (): void => {};

/** Backoff before retry number `retry` (1-based), in milliseconds. */
export function backoffDelay(retry: number, options: RetryOptions, random: () => number = Math.random): number {
  const jitter = options.randomize ? 1 + random() : 1;
  return Math.min(Math.round(options.minTimeout * options.factor ** (retry - 1) * jitter), options.maxTimeout);
}

export class WebSocketTransport extends EnhancedEventEmitter<WebSocketTransportEvents> {
  readonly url: string;
  readonly #retry: RetryOptions;
  readonly #connectTimeout: number;
  readonly #WebSocket: WebSocketConstructor;
  #state: State = 'CONNECTING';
  #ws: WebSocketLike | undefined;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #liveness: LivenessOptions | undefined;
  #livenessTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last frame came from the server (or the socket opened), by the monotonic clock (ms). */
  #heardAt = 0;
  /** When the pending liveness probe went out; undefined when none is pending. */
  #probedAt: number | undefined;

  constructor(url: string, options: ClientTransportOptions = {}) {
    super(logger);
    this.url = url;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#connectTimeout = options.connectTimeout ?? 10_000;
    this.#liveness = options.liveness;
    const Ctor = options.WebSocket ?? (globalThis.WebSocket);
    if (!Ctor) throw new TypeError('no global WebSocket here: pass options.WebSocket (for example from the "ws" package)');
    this.#WebSocket = Ctor;
    this.#connect();
  }

  get state(): State {
    return this.#state;
  }

  get closed(): boolean {
    return this.#state === 'CLOSED';
  }

  /** Sends one text frame. Throws SendError unless connected. */
  send(frame: string): void {
    if (this.#state !== 'OPEN' || !this.#ws) throw new SendError('transport not connected');
    this.#ws.send(frame);
  }

  /**
   * Drops the open socket and connects again at once, emitting `disconnected` as when the
   * server dropped it (for a connection known to be dead). Does nothing unless open.
   */
  reconnect(reason = 'reconnecting'): void {
    if (this.#state !== 'OPEN' || !this.#ws) return;
    this.#onSocketClose(this.#ws, { code: 1006, reason });
  }

  /**
   * Checks the connection now instead of after a quiet spell (with liveness on): probes at
   * once, however recent the last frame, and reconnects if nothing answers in `timeoutMs`.
   * For moments when the path under the socket may have changed (the network came back).
   */
  probeNow(): void {
    this.#checkLiveness(true);
  }

  /** Closes for good (code 1000); `close` is emitted at once. */
  close(): void {
    this.#finish({ code: 1000, reason: 'closed by client' });
  }

  #connect(): void {
    this.#state = 'CONNECTING';
    this.#attempt += 1;
    logger.debug('connecting to %s [attempt:%d]', this.url, this.#attempt);
    let ws: WebSocketLike;
    try {
      ws = new this.#WebSocket(this.url, WS_SUBPROTOCOL);
    } catch (error) {
      // An invalid URL can never work: no point in retrying.
      logger.error('cannot create WebSocket: %o', error);
      this.#finish({ code: 1006, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.#ws = ws;
    this.#timer = setTimeout(() => {
      logger.warn('connection attempt %d timed out', this.#attempt);
      this.#onSocketClose(ws, { code: 1006, reason: 'connect timeout' });
    }, this.#connectTimeout);
    ws.onopen = () => {
      if (this.#ws !== ws) return;
      clearTimeout(this.#timer);
      this.#state = 'OPEN';
      this.#attempt = 0;
      this.#heardAt = performance.now();
      this.#probedAt = undefined;
      this.#watchLiveness(this.#liveness?.idleMs);
      this.safeEmit('open');
    };
    ws.onclose = (event) => this.#onSocketClose(ws, { code: event.code, reason: event.reason });
    // Errors are always followed by close; keep a handler so that none goes unhandled.
    ws.onerror = noop;
    ws.onmessage = (event) => {
      if (this.#ws !== ws || this.#state !== 'OPEN') return;
      if (typeof event.data !== 'string') {
        logger.warn('dropping binary frame');
        return;
      }
      this.#heardAt = performance.now();
      if (this.#probedAt !== undefined) {
        // Answered: the connection lives; next look after another quiet spell.
        this.#probedAt = undefined;
        this.#watchLiveness(this.#liveness!.idleMs);
      }
      this.safeEmit('frame', event.data);
    };
  }

  #onSocketClose(ws: WebSocketLike, info: CloseInfo): void {
    if (this.#ws !== ws || this.#state === 'CLOSED') return;
    const wasOpen = this.#state === 'OPEN';
    this.#detach();
    logger.warn('socket closed [code:%d, reason:"%s"]', info.code, info.reason);
    if (info.code === CLOSE_CODE_NO_RETRY) {
      this.#finish(info);
      return;
    }
    if (wasOpen) {
      this.safeEmit('disconnected');
      // A listener may have closed the transport.
      if (!this.closed) this.#connect();
      return;
    }
    this.safeEmit('failed', this.#attempt);
    if (this.closed) return;
    if (this.#attempt > this.#retry.retries) {
      this.#finish(info);
      return;
    }
    this.#state = 'WAITING';
    this.#timer = setTimeout(() => this.#connect(), backoffDelay(this.#attempt, this.#retry));
  }

  /** Checks the connection `delay` ms from now (when liveness is on). */
  #watchLiveness(delay: number | undefined): void {
    clearTimeout(this.#livenessTimer);
    if (delay !== undefined) this.#livenessTimer = setTimeout(() => this.#checkLiveness(), delay);
  }

  #checkLiveness(evenIfRecent = false): void {
    const liveness = this.#liveness;
    if (!liveness || this.#state !== 'OPEN') return;
    const now = performance.now();
    const probedAt = this.#probedAt;
    if (probedAt !== undefined) {
      // Nothing came since the probe (a frame would have cleared it).
      if (now - probedAt < liveness.timeoutMs) return this.#watchLiveness(probedAt + liveness.timeoutMs - now);
      logger.warn('no answer from the server for %d ms: reconnecting', now - this.#heardAt);
      this.reconnect('no answer from the server');
      return;
    }
    const quiet = now - this.#heardAt;
    if (quiet < liveness.idleMs && !evenIfRecent) return this.#watchLiveness(liveness.idleMs - quiet);
    this.#probedAt = now;
    try {
      liveness.probe();
    } catch (error) {
      // Nothing went out, so silence would prove nothing: look again after another spell.
      logger.warn('liveness probe threw: %o', error);
      this.#probedAt = undefined;
      if (this.#state === 'OPEN') this.#watchLiveness(liveness.idleMs);
      return;
    }
    // The probe may have closed or dropped the socket itself.
    if (this.#state === 'OPEN') this.#watchLiveness(liveness.timeoutMs);
  }

  /** Stops listening to the current socket and closes it. */
  #detach(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#livenessTimer);
    const ws = this.#ws;
    this.#ws = undefined;
    if (!ws) return;
    ws.onopen = noop;
    ws.onclose = noop;
    ws.onmessage = noop;
    try {
      ws.close(1000);
    } catch (error) {
      logger.debug('close() of the old socket failed: %o', error);
    }
  }

  #finish(info: CloseInfo): void {
    if (this.#state === 'CLOSED') return;
    this.#detach();
    this.#state = 'CLOSED';
    this.safeEmit('close', info);
    this.removeAllListeners();
  }
}
