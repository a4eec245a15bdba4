/**
 * types: the type parameters that make an app protocol typed end to end. A
 * `Protocol` describes what ONE side sends: its request methods (payload and
 * response) and its notifications. A server peer is `Peer<ServerSends, ClientSends>`,
 * a client peer is `Peer<ClientSends, ServerSends>`.
 *
 * Declare protocols with `type` aliases (not interfaces) so they satisfy the
 * index-signature constraints below.
 */
import type { ProtooNotification, ProtooRequest } from './Message';

export type RequestMap = Record<string, { data: unknown; response: unknown }>;
export type NotificationMap = Record<string, unknown>;

export type Protocol = {
  requests: RequestMap;
  notifications: NotificationMap;
};

/** The default: any method, any payload. */
export type LooseProtocol = {
  requests: Record<string, { data: object | undefined; response: unknown }>;
  notifications: Record<string, object | undefined>;
};

export type RequestMethod<P extends Protocol> = keyof P['requests'] & string;
export type NotificationMethod<P extends Protocol> = keyof P['notifications'] & string;
export type RequestData<P extends Protocol, M extends RequestMethod<P>> = P['requests'][M]['data'];
export type ResponseData<P extends Protocol, M extends RequestMethod<P>> = P['requests'][M]['response'];

/** `data` may be left out when the payload type allows undefined. */
export type DataArgs<D> = undefined extends D ? [data?: D] : [data: D];

/** A received request: a union discriminated by `method`. */
export type IncomingRequest<P extends Protocol> = {
  [M in RequestMethod<P>]: ProtooRequest<M, RequestData<P, M>>;
}[RequestMethod<P>];

/** A received notification: a union discriminated by `method`. */
export type IncomingNotification<P extends Protocol> = {
  [M in NotificationMethod<P>]: ProtooNotification<M, P['notifications'][M]>;
}[NotificationMethod<P>];

export type AcceptFn<P extends Protocol> = (data?: ResponseData<P, RequestMethod<P>>) => void;

/** `reject(code, reason)` or `reject(error)`: an error's message is kept, its numeric `code` too. */
export type RejectFn = {
  (errorCode: number, errorReason?: string): void;
  (error: Error): void;
};

export type RequestListener<P extends Protocol> = (request: IncomingRequest<P>, accept: AcceptFn<P>, reject: RejectFn) => unknown;
