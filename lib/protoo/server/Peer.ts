/**
 * Peer (server side): a remote client connected to a Room. Typed by what the server
 * sends (`Out`) and what the client sends (`In`). Closing is idempotent and cascades:
 * it closes the transport, rejects pending requests and emits `close` exactly once,
 * whichever side started it.
 */
import { Channel, type ChannelOptions } from '../Channel';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter';
import { Logger } from '../Logger';
import { PeerClosedError } from '../errors';
import type {
  DataArgs,
  IncomingNotification,
  LooseProtocol,
  NotificationMethod,
  Protocol,
  RequestListener,
  RequestMethod,
  ResponseData,
  RequestData,
} from '../types';
import type { WebSocketTransport } from './WebSocketTransport';

const logger = new Logger('Peer');

export type PeerEvents<In extends Protocol> = {
  request: Parameters<RequestListener<In>>;
  notification: [notification: IncomingNotification<In>];
  close: [];
};

export type PeerOptions = ChannelOptions;

export class Peer<Out extends Protocol = LooseProtocol, In extends Protocol = LooseProtocol> extends EnhancedEventEmitter<PeerEvents<In>> {
  readonly id: string;
  /** Custom data up to the application. */
  readonly data: Record<string, unknown> = {};
  readonly #transport: WebSocketTransport;
  readonly #channel: Channel<In>;
  #closed = false;

  constructor(id: string, transport: WebSocketTransport, options: PeerOptions = {}) {
    super(logger);
    this.id = id;
    this.#transport = transport;
    this.#channel = new Channel<In>(
      {
        sendFrame: (frame) => transport.send(frame),
        emitRequest: (request, accept, reject, onError) => this.safeEmitReporting('request', onError, request, accept, reject),
        emitNotification: (notification) => this.safeEmit('notification', notification),
      },
      logger,
      options,
    );
    if (transport.closed) {
      // Emitted later so that the creator can attach its listeners first.
      setTimeout(() => this.#onTransportClosed(), 0);
      return;
    }
    transport.on('frame', (frame) => this.#channel.receive(frame));
    transport.on('close', () => this.#onTransportClosed());
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
   * Sends an already serialized frame, ignoring a closed transport. Room.spread uses
   * it to serialize a notification once for every recipient.
   */
  sendFrame(frame: string): void {
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
