/**
 * handler: the shape of one request handler. Each request method has one, in
 * server/signaling/handlers/. A handler validates what the schema cannot (targets,
 * room state) BEFORE changing anything, so a request either fully applies or fails
 * with an AppError and changes nothing.
 */
import type { SerializedData } from '../../lib/protoo/Message';
import type { RequestName, ResponseOf, ValidRequestData } from '../../lib/signaling/protocol';
import type { Participant } from '../rooms/Participant';
import type { Room } from '../rooms/Room';
import type { Connection } from './Connection';
import type { Signaling } from './Signaling';

export interface HandlerContext {
  readonly signaling: Signaling;
  readonly connection: Connection;
  /** Runs `action` once the response has been sent (to send follow-up frames after it). */
  after(action: () => void): void;
}

export interface JoinedContext extends HandlerContext {
  readonly participant: Participant;
  readonly room: Room;
}

/** One request's context: a single small object, no closures. */
export class RequestContext implements JoinedContext {
  readonly signaling: Signaling;
  readonly connection: Connection;
  readonly #participant: Participant | undefined;
  readonly #room: Room | undefined;
  afterResponse: (() => void)[] | undefined;

  constructor(signaling: Signaling, connection: Connection, participant?: Participant, room?: Room) {
    this.signaling = signaling;
    this.connection = connection;
    this.#participant = participant;
    this.#room = room;
  }

  /** Only read by `joined` handlers, which dispatch gives a participant and a room. */
  get participant(): Participant {
    return this.#participant!;
  }

  get room(): Room {
    return this.#room!;
  }

  after(action: () => void): void {
    (this.afterResponse ??= []).push(action);
  }
}

interface HandlerBase {
  /** Which rate limit the request counts against. */
  bucket: 'requests' | 'signals';
}

/** A handler's response: its data, or that data already serialized (shared with a notification). */
export type HandlerResult<M extends RequestName> = ResponseOf<M> | SerializedData<ResponseOf<M>>;

export type Handler<M extends RequestName> = HandlerBase &
  (
    | { scope: 'connection'; handle(ctx: HandlerContext, data: ValidRequestData<M>): HandlerResult<M> }
    | { scope: 'joined'; handle(ctx: JoinedContext, data: ValidRequestData<M>): HandlerResult<M> }
  );

export type Handlers = { [M in RequestName]: Handler<M> };
