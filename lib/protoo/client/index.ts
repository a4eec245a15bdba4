/** protoo client side (browser and Node): WebSocketTransport with retry, and Peer. */
export { WebSocketTransport, CLOSE_CODE_NO_RETRY, DEFAULT_RETRY, backoffDelay } from './WebSocketTransport';
export type { ClientTransportOptions, CloseInfo, LivenessOptions, RetryOptions, WebSocketConstructor, WebSocketLike } from './WebSocketTransport';
export { Peer } from './Peer';
export type { PeerOptions } from './Peer';
export * from '../errors';
export type * from '../types';
export type * from '../Message';
