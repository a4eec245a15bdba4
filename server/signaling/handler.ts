/**
 * handler: the shape of one request handler. Each request method has one, in
 * server/signaling/handlers/. A handler validates what the schema cannot (targets,
 * room state) BEFORE changing anything, so a request either fully applies or fails
 * with an AppError and changes nothing.
 */
import type { RequestName, ResponseOf, ValidRequestData } from '../../lib/signaling/protocol';
import type { Participant } from '../rooms/Participant';
import type { Room } from '../rooms/Room';
import type { Connection } from './Connection';
import type { Signaling } from './Signaling';

export interface HandlerContext {
  signaling: Signaling;
  connection: Connection;
  /** Runs `action` once the response has been sent (to send follow-up frames after it). */
  after(action: () => void): void;
}

export interface JoinedContext extends HandlerContext {
  participant: Participant;
  room: Room;
}

interface HandlerBase {
  /** Which rate limit the request counts against. */
  bucket: 'requests' | 'signals';
}

export type Handler<M extends RequestName> = HandlerBase &
  (
    | { scope: 'connection'; handle(ctx: HandlerContext, data: ValidRequestData<M>): ResponseOf<M> }
    | { scope: 'joined'; handle(ctx: JoinedContext, data: ValidRequestData<M>): ResponseOf<M> }
  );

export type Handlers = { [M in RequestName]: Handler<M> };
