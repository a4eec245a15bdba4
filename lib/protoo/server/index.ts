/** protoo server side (Node): WebSocketServer, Room, Peer, WebSocketTransport. */
export { WebSocketServer, WS_SUBPROTOCOL, abortHandshake } from './WebSocketServer';
export type { AcceptConnectionFn, ConnectionRequestInfo, RejectConnectionFn, WebSocketServerOptions } from './WebSocketServer';
export { WebSocketTransport, CLOSE_CODE_NO_RETRY, encodeFrame } from './WebSocketTransport';
export type { CloseInfo, EncodedFrame, Frame } from './WebSocketTransport';
export { Room } from './Room';
export { Peer } from './Peer';
export type { PeerOptions } from './Peer';
export * from '../errors';
export type * from '../types';
export type * from '../Message';
