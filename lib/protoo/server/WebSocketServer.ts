/**
 * WebSocketServer: accepts protoo WebSocket connections on an HTTP server's upgrade
 * route. It checks the handshake and the `protoo` subprotocol (403 without it), then
 * lets the application decide with `connectionrequest(info, accept, reject)`.
 *
 * Two ways to mount it:
 * - `new WebSocketServer(httpServer, { path })` listens to `upgrade` itself and only
 *   takes requests for `path` (all requests when no path is given);
 * - `new WebSocketServer(null)` plus `handleUpgrade(req, socket, head)` from your own
 *   upgrade router, when several handlers share the server.
 *
 * It also runs the heartbeat (Heartbeat.ts): a connection from which nothing came for
 * half an interval is pinged (so a quiet one about once per interval, one that talks
 * never), and one that leaves the ping unanswered for another half interval is
 * terminated: within 1.5 intervals of the last thing it sent.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer as WsServer } from 'ws';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter';
import { Logger } from '../Logger';
import { Heartbeat } from './Heartbeat';
import { WebSocketTransport } from './WebSocketTransport';

const logger = new Logger('WebSocketServer');

export const WS_SUBPROTOCOL = 'protoo';

export interface WebSocketServerOptions {
  /** Only upgrades for this pathname are taken when mounted on an HTTP server. */
  path?: string;
  /** Largest accepted frame in bytes; a larger one closes the connection with 1009. Default 960000. */
  maxFrameSize?: number;
  /** Heartbeat interval in ms (a quiet connection is pinged once per interval); 0 turns the heartbeat off. Default 10000. */
  heartbeatInterval?: number;
  /** Milliseconds the application has to accept or reject a connection request (then 503). Default 10000. */
  decisionTimeout?: number;
}

export interface ConnectionRequestInfo {
  request: IncomingMessage;
  origin: string | undefined;
  socket: Duplex;
}

export type AcceptConnectionFn = () => WebSocketTransport;
export type RejectConnectionFn = {
  (code?: number, reason?: string): void;
  (error: Error): void;
};

export type WebSocketServerEvents = {
  connectionrequest: [info: ConnectionRequestInfo, accept: AcceptConnectionFn, reject: RejectConnectionFn];
};

const WS_KEY_PATTERN = /^[+/0-9A-Za-z]{22}==$/;

export class WebSocketServer extends EnhancedEventEmitter<WebSocketServerEvents> {
  readonly #wss: WsServer;
  readonly #httpServer: HttpServer | HttpsServer | null;
  readonly #path: string | undefined;
  readonly #decisionTimeout: number;
  /** The open connections, which the heartbeat visits. */
  readonly #heartbeat: Heartbeat<WebSocketTransport>;
  #stopped = false;

  constructor(httpServer: HttpServer | HttpsServer | null, options: WebSocketServerOptions = {}) {
    super(logger);
    this.#httpServer = httpServer;
    this.#path = options.path;
    this.#decisionTimeout = options.decisionTimeout ?? 10_000;
    this.#wss = new WsServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxFrameSize ?? 960_000,
      handleProtocols: () => WS_SUBPROTOCOL,
    });
    this.#heartbeat = new Heartbeat(options.heartbeatInterval ?? 10_000);
    httpServer?.on('upgrade', this.#onUpgrade);
  }

  /** Number of open connections. */
  get connectionCount(): number {
    return this.#heartbeat.size;
  }

  /** Stops taking connections (and the heartbeat). Open connections and the HTTP server stay as they are. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#httpServer?.off('upgrade', this.#onUpgrade);
    this.#heartbeat.stop();
    this.#wss.close();
  }

  /** Handles one upgrade request routed to this server. Never throws. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A module-level function: a closure here would keep this whole scope (the request,
    // its headers, the decision timer) alive for as long as the socket lives.
    socket.on('error', onSocketError);
    if (this.#stopped) return abortHandshake(socket, 503, 'Server stopped');
    const problem = handshakeProblem(request);
    if (problem) return abortHandshake(socket, 400, problem);
    if (!offeredProtocols(request).includes(WS_SUBPROTOCOL)) {
      logger.warn('rejecting connection: invalid/missing Sec-WebSocket-Protocol');
      return abortHandshake(socket, 403, 'invalid/missing Sec-WebSocket-Protocol');
    }
    if (this.listenerCount('connectionrequest') === 0) {
      return abortHandshake(socket, 500, 'no listeners for "connectionrequest" event');
    }

    // The application answers once; a request it has not answered by the time the
    // event returns gets a timer, and times out with 503. Most applications answer at
    // once, and pay for no timer.
    let answered = false;
    // Read by answer(), which may run during the emit below, before the timer exists.
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onSocketClose = (): void => clearTimeout(timer);
    const answer = (): void => {
      answered = true;
      if (timer === undefined) return;
      clearTimeout(timer);
      socket.off('close', onSocketClose);
    };
    const accept: AcceptConnectionFn = () => {
      if (answered) throw new Error('connection request already answered');
      answer();
      return this.#upgrade(request, socket, head);
    };
    const reject = ((codeOrError?: number | Error, reason?: string): void => {
      if (answered) {
        logger.warn('reject() ignored: connection request already answered');
        return;
      }
      answer();
      if (codeOrError instanceof Error) {
        const status = (codeOrError as Error & { status?: unknown }).status;
        abortHandshake(socket, typeof status === 'number' ? status : 500, codeOrError.message);
      } else {
        abortHandshake(socket, codeOrError ?? 403, reason ?? 'Rejected');
      }
    }) as RejectConnectionFn;

    const info: ConnectionRequestInfo = { request, origin: request.headers.origin, socket };
    this.safeEmitReporting('connectionrequest', (error) => reject(error instanceof Error ? error : new Error(String(error))), info, accept, reject);
    if (answered || socket.destroyed) return;
    timer = setTimeout(() => {
      if (answered) return;
      answer();
      abortHandshake(socket, 503, 'Connection request not answered in time');
    }, this.#decisionTimeout);
    socket.once('close', onSocketClose);
  }

  #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.#path !== undefined && pathnameOf(request) !== this.#path) return;
    this.handleUpgrade(request, socket, head);
  };

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): WebSocketTransport {
    let transport: WebSocketTransport | undefined;
    if (!socket.destroyed) {
      this.#wss.handleUpgrade(request, socket, head, (ws) => {
        transport = new WebSocketTransport(ws, socket);
      });
    }
    // ws completes the upgrade synchronously; no transport means the socket was gone.
    if (!transport) return new WebSocketTransport(undefined, socket);
    transport.register(this.#heartbeat.deal());
    return transport;
  }
}

function onSocketError(error: Error): void {
  logger.debug('socket error: %s', error.message);
}

function pathnameOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  return header ? header.split(',').map((value) => value.trim()) : [];
}

/** What makes this request not a valid WebSocket handshake, if anything. */
function handshakeProblem(request: IncomingMessage): string | undefined {
  if (request.method !== 'GET') return 'Invalid HTTP method';
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return 'Invalid Upgrade header';
  const key = request.headers['sec-websocket-key'];
  if (!key || !WS_KEY_PATTERN.test(key)) return 'Missing or invalid Sec-WebSocket-Key header';
  const version = request.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return 'Missing or invalid Sec-WebSocket-Version header';
  return undefined;
}

/** Answers the handshake with an HTTP error and closes the socket. */
export function abortHandshake(socket: Duplex, code: number, reason: string): void {
  if (socket.destroyed) return;
  const status = Number.isInteger(code) && code >= 400 && code <= 599 ? code : 500;
  // The reason becomes the status line's reason phrase: printable ASCII only, bounded.
  const phrase = reason.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200) || 'Rejected';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${phrase}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain\r\n' +
      `Content-Length: ${Buffer.byteLength(phrase)}\r\n` +
      '\r\n' +
      phrase,
  );
}
