/**
 * Peer (client side): the application's end of a protoo connection, typed by what the
 * client sends (`Out`) and what the server sends (`In`). It follows its transport's
 * states: `open`, `failed(attempt)`, `disconnected` (pending requests are rejected;
 * the transport reconnects) and `close` (final, emitted exactly once, also when the
 * transport was closed before the peer was created).
 */
import { Channel, type ChannelHost, type ChannelOptions } from '../Channel';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter';
import { Logger } from '../Logger';
import { PeerClosedError } from '../errors';
import type {
  DataArgs,
  IncomingNotification,
  LooseProtocol,
  NotificationMethod,
  Protocol,
  RequestData,
  RequestListener,
  RequestMethod,
  ResponseData,
} from '../types';
import type { CloseInfo, WebSocketTransport } from './WebSocketTransport';

const logger = new Logger('Peer');

export type PeerEvents<In extends Protocol> = {
  open: [];
  failed: [attempt: number];
  disconnected: [];
  close: [info: CloseInfo];
  request: Parameters<RequestListener<In>>;
  notification: [notification: IncomingNotification<In>];
};

export type PeerOptions = ChannelOptions;

export class Peer<Out extends Protocol = LooseProtocol, In extends Protocol = LooseProtocol> extends EnhancedEventEmitter<PeerEvents<In>> {
  /** Custom data up to the application. */
  readonly data: Record<string, unknown> = {};
  readonly #transport: WebSocketTransport;
  readonly #channel: Channel<In, Peer<Out, In>>;
  #closed = false;
  #connected = false;

  /** The channel's host, one for all peers: each call gets its peer. */
  static readonly #channelHost: ChannelHost<Peer, LooseProtocol> = {
    sendFrame: (peer, frame) => peer.#transport.send(frame),
    emitRequest: (peer, request, accept, reject, onError) => peer.safeEmitReporting('request', onError, request, accept, reject),
    emitNotification: (peer, notification) => peer.safeEmit('notification', notification),
  };

  constructor(transport: WebSocketTransport, options: PeerOptions = {}) {
    super(logger);
    this.#transport = transport;
    // The host is typed for the loosest peer; this peer's types only narrow what it carries.
    this.#channel = new Channel(this, Peer.#channelHost as unknown as ChannelHost<Peer<Out, In>, In>, logger, options);
    if (transport.closed) {
      // Emitted later so that the creator can attach its listeners first.
      setTimeout(() => this.#onClose({ code: 1006, reason: 'transport already closed' }), 0);
      return;
    }
    transport.on('open', () => {
      this.#connected = true;
      this.safeEmit('open');
    });
    transport.on('failed', (attempt) => this.safeEmit('failed', attempt));
    transport.on('disconnected', () => {
      this.#connected = false;
      this.#channel.rejectAll('peer disconnected');
      this.safeEmit('disconnected');
    });
    transport.on('close', (info) => this.#onClose(info));
    transport.on('frame', (frame) => this.#channel.receive(frame));
  }

  get closed(): boolean {
    return this.#closed;
  }

  get connected(): boolean {
    return this.#connected;
  }

  request<M extends RequestMethod<Out>>(method: M, ...[data]: DataArgs<RequestData<Out, M>>): Promise<ResponseData<Out, M>> {
    if (this.#closed) return Promise.reject(new PeerClosedError(`cannot send "${method}": peer closed`));
    return this.#channel.request(method, data);
  }

  notify<M extends NotificationMethod<Out>>(method: M, ...[data]: DataArgs<Out['notifications'][M]>): Promise<void> {
    if (this.#closed) return Promise.reject(new PeerClosedError(`cannot send "${method}": peer closed`));
    return this.#channel.notify(method, data);
  }

  close(): void {
    if (this.#closed) return;
    this.#transport.close();
    this.#onClose({ code: 1000, reason: 'closed by client' });
  }

  #onClose(info: CloseInfo): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#connected = false;
    this.#channel.rejectAll('peer closed');
    this.safeEmit('close', info);
    this.removeAllListeners();
  }
}
