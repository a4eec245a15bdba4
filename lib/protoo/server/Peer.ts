/**
 * Peer (server side): a remote client connected to a Room. Typed by what the server
 * sends (`Out`) and what the client sends (`In`). Closing is idempotent and cascades:
 * it closes the transport, rejects pending requests and emits `close` exactly once,
 * whichever side started it.
 */
import { Channel, type ChannelHost, type ChannelOptions } from '../Channel';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter';
import { Logger } from '../Logger';
import { PeerClosedError } from '../errors';
import type { SerializedData } from '../Message';
import type {
  DataArgs,
  IncomingNotification,
  IncomingRequest,
  LooseProtocol,
  NotificationMethod,
  Protocol,
  RequestListener,
  RequestMethod,
  ResponseData,
  RequestData,
} from '../types';
import type { Frame, WebSocketTransport } from './WebSocketTransport';

const logger = new Logger('Peer');

export type PeerEvents<In extends Protocol> = {
  request: Parameters<RequestListener<In>>;
  notification: [notification: IncomingNotification<In>];
  close: [];
};

export type PeerOptions = ChannelOptions;

export class Peer<Out extends Protocol = LooseProtocol, In extends Protocol = LooseProtocol> extends EnhancedEventEmitter<PeerEvents<In>> {
  readonly id: string;
  #data: Record<string, unknown> | undefined;
  readonly #transport: WebSocketTransport;
  readonly #channel: Channel<In, Peer<Out, In>>;
  #requestHandler: ((request: IncomingRequest<In>) => void) | undefined;
  #closed = false;

  /** The channel's host, one for all peers: each call gets its peer. */
  static readonly #channelHost: ChannelHost<Peer, LooseProtocol> = {
    sendFrame: (peer, frame) => peer.#transport.send(frame),
    handleDirect: (peer, request) => peer.#handleDirect(request),
    emitRequest: (peer, request, accept, reject, onError) => peer.safeEmitReporting('request', onError, request, accept, reject),
    emitNotification: (peer, notification) => peer.safeEmit('notification', notification),
  };

  constructor(id: string, transport: WebSocketTransport, options: PeerOptions = {}) {
    super(logger);
    this.id = id;
    this.#transport = transport;
    // The host is typed for the loosest peer; this peer's types only narrow what it carries.
    this.#channel = new Channel(this, Peer.#channelHost as unknown as ChannelHost<Peer<Out, In>, In>, logger, options);
    if (transport.closed) {
      // Emitted later so that the creator can attach its listeners first.
      setTimeout(() => this.#onTransportClosed(), 0);
      return;
    }
    transport.on('frame', (frame) => this.#channel.receive(frame));
    transport.on('close', () => this.#onTransportClosed());
  }

  /** Custom data up to the application (made on first use: most servers keep their own). */
  get data(): Record<string, unknown> {
    return (this.#data ??= {});
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The remote address of the connection (for logs). */
  get remoteAddress(): string {
    return this.#transport.remoteAddress;
  }

  request<M extends RequestMethod<Out>>(method: M, ...[data]: DataArgs<RequestData<Out, M>>): Promise<ResponseData<Out, M>> {
    if (this.#closed) return Promise.reject(this.#closedError(method));
    return this.#channel.request(method, data);
  }

  notify<M extends NotificationMethod<Out>>(method: M, ...[data]: DataArgs<Out['notifications'][M]>): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError(method));
    return this.#channel.notify(method, data);
  }

  /**
   * Takes every request directly instead of emitting `request`, without allocating an
   * accept/reject pair per request (for busy servers). The handler must answer each
   * request exactly once with respond() or respondError(); if it throws, the request is
   * answered with error 500. Pass undefined to go back to the `request` event.
   */
  setRequestHandler(handler: ((request: IncomingRequest<In>) => void) | undefined): void {
    this.#requestHandler = handler;
  }

  /** Answers a request taken by the request handler (with its data, or that data already serialized). */
  respond<M extends RequestMethod<In>>(request: { id: number; method: M }, data?: ResponseData<In, M> | SerializedData<ResponseData<In, M>>): void {
    if (!this.#closed) this.#channel.respond(request.id, data);
  }

  /** Answers a request taken by the request handler with an error. */
  respondError(request: { id: number }, errorCode: number, errorReason: string): void {
    if (!this.#closed) this.#channel.respondError(request.id, errorCode, errorReason);
  }

  #handleDirect(request: IncomingRequest<In>): boolean {
    const handler = this.#requestHandler;
    if (!handler) return false;
    try {
      handler(request);
    } catch (error) {
      logger.error('request handler threw: %o', error);
      this.#channel.respondError(request.id, 500, error instanceof Error ? error.message : String(error));
    }
    return true;
  }

  /**
   * Sends an already serialized frame, ignoring a closed transport. Room.spread uses
   * it to serialize a notification once for every recipient.
   */
  sendFrame(frame: Frame): void {
    if (this.#closed) return;
    try {
      this.#transport.send(frame);
    } catch (error) {
      logger.debug('sendFrame() to %s failed: %o', this.id, error);
    }
  }

  /** Closes the peer and its transport; `code` defaults to 4000 (clients do not retry). */
  close(code?: number, reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close(code, reason);
    this.#finish();
  }

  #onTransportClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#finish();
  }

  #finish(): void {
    this.#channel.rejectAll('peer closed');
    this.safeEmit('close');
    this.removeAllListeners();
  }

  #closedError(method: string): Error {
    return new PeerClosedError(`cannot send "${method}": peer closed`);
  }
}
