/**
 * Signaling: the signaling service. It checks each connection at the handshake (ids,
 * Origin, capacity), keeps the connections, rooms and participants, runs the reconnect
 * grace, and hands every request to server/signaling/dispatch.ts.
 */
import type { IncomingMessage } from 'node:http';
import { Peer, WebSocketServer } from '../../lib/protoo/server';
import {
  CloseCode,
  isValidId,
  type ClientSends,
  type Limits,
  type PeerLeftReason,
  type ServerSends,
} from '../../lib/signaling/protocol';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createMetrics, type Metrics } from '../metrics';
import { isOriginAllowed } from '../origin';
import type { Participant } from '../rooms/Participant';
import { notificationFrame, type Room } from '../rooms/Room';
import { RoomRegistry } from '../rooms/RoomRegistry';
import { Connection } from './Connection';
import { createRoutes, dispatch, type Routes } from './dispatch';

/** Lobby room-list pushes are coalesced to at most one per this many ms. */
const ROOM_LIST_THROTTLE_MS = 500;

export type SignalingConfig = Pick<
  Config,
  | 'heartbeatIntervalMs'
  | 'maxFrameBytes'
  | 'joinTimeoutMs'
  | 'reconnectGraceMs'
  | 'maxRooms'
  | 'maxConnections'
  | 'limits'
  | 'rateLimits'
  | 'roomListEnabled'
  | 'allowedOrigins'
  | 'ice'
  | 'metricsEnabled'
>;

export class Signaling {
  readonly wss: WebSocketServer;
  readonly rooms: RoomRegistry;
  readonly config: SignalingConfig;
  readonly limits: Limits;
  readonly routes: Routes;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly #connections = new Set<Connection>();
  readonly #lobby = new Set<Connection>();
  #roomListTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Room connections that have not joined yet, oldest first, with their deadlines:
   * one sweep timer for all of them instead of a timer per connection.
   */
  readonly #awaitingJoin = new Map<Connection, number>();
  #joinSweep: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(config: SignalingConfig, logger: Logger) {
    this.config = config;
    this.limits = config.limits;
    this.routes = createRoutes(config.limits);
    this.logger = logger;
    this.rooms = new RoomRegistry({
      maxRooms: config.maxRooms,
      historySize: config.limits.chatHistorySize,
      onChange: () => this.#scheduleRoomList(),
    });
    this.metrics = createMetrics(config.metricsEnabled, {
      rooms: () => this.rooms.roomCount,
      peers: () => this.rooms.peerCount,
      connections: () => this.#connections.size,
    });
    this.wss = new WebSocketServer(null, { heartbeatInterval: config.heartbeatIntervalMs, maxFrameSize: config.maxFrameBytes });
    this.wss.on('connectionrequest', (info, accept, reject) => {
      const { roomId, peerId } = parseQuery(info.request);
      const problem = this.#refusal(info.request, roomId, peerId);
      if (problem) {
        this.logger.debug({ address: info.request.socket.remoteAddress, status: problem.status, reason: problem.reason }, 'connection refused');
        reject(problem.status, problem.reason);
        return;
      }
      this.#accept(new Peer<ServerSends, ClientSends>(peerId!, accept()), roomId);
    });
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Why a connection request is refused at the handshake, if it is. */
  #refusal(request: IncomingMessage, roomId: string | undefined, peerId: string | undefined): { status: number; reason: string } | undefined {
    if (this.#closed) return { status: 503, reason: 'Server shutting down' };
    if (!isValidId(peerId)) return { status: 400, reason: 'peerId must be 1-64 of A-Z a-z 0-9 _ -' };
    if (roomId !== undefined && !isValidId(roomId)) return { status: 400, reason: 'roomId must be 1-64 of A-Z a-z 0-9 _ -' };
    if (!isOriginAllowed(request, this.config.allowedOrigins)) return { status: 403, reason: 'Origin not allowed' };
    if (this.#connections.size >= this.config.maxConnections) return { status: 503, reason: 'Server full' };
    return undefined;
  }

  #accept(peer: Peer<ServerSends, ClientSends>, roomId: string | undefined): void {
    const connection = new Connection({ peer, roomId, peerId: peer.id, rateLimits: this.config.rateLimits });
    this.#connections.add(connection);
    if (roomId === undefined) {
      this.#lobby.add(connection);
    } else {
      this.#awaitingJoin.set(connection, Date.now() + this.config.joinTimeoutMs);
      // A quarter of the timeout (at most a second) late at worst.
      this.#joinSweep ??= setInterval(() => this.#sweepJoins(), Math.min(1000, Math.ceil(this.config.joinTimeoutMs / 4)));
    }
    peer.setRequestHandler((request) => dispatch(this, connection, request));
    peer.on('close', () => this.#onConnectionClosed(connection));
    if (this.logger.isLevelEnabled('debug')) this.logger.debug({ peerId: peer.id, roomId, address: peer.remoteAddress }, 'connection accepted');
  }

  /** A connection joined (or resumed): it no longer has a join deadline. */
  joined(connection: Connection): void {
    this.#awaitingJoin.delete(connection);
  }

  /** Closes the connections whose join deadline passed. */
  #sweepJoins(): void {
    const now = Date.now();
    // Deadlines grow with insertion order: stop at the first one still ahead.
    for (const [connection, deadline] of this.#awaitingJoin) {
      if (deadline > now) break;
      this.#awaitingJoin.delete(connection);
      connection.close(CloseCode.FINAL, 'join timeout');
    }
    if (this.#awaitingJoin.size === 0) this.#stopJoinSweep();
  }

  #stopJoinSweep(): void {
    clearInterval(this.#joinSweep);
    this.#joinSweep = undefined;
  }

  #onConnectionClosed(connection: Connection): void {
    this.#awaitingJoin.delete(connection);
    this.#connections.delete(connection);
    this.#lobby.delete(connection);
    const participant = connection.participant;
    connection.participant = undefined;
    // A connection replaced by a resume no longer speaks for its participant.
    if (!participant || participant.link !== connection || this.#closed) return;
    const room = this.rooms.get(connection.roomId!);
    if (!room) return;
    participant.link = undefined;
    if (this.config.reconnectGraceMs === 0) {
      this.removeParticipant(room, participant, 'timedOut');
      return;
    }
    room.broadcast('peerUpdated', { peerId: participant.id, changes: { connection: 'reconnecting' } }, { except: participant });
    participant.graceTimer = setTimeout(() => this.removeParticipant(room, participant, 'timedOut'), this.config.reconnectGraceMs);
    this.logger.info({ roomId: room.id, peerId: participant.id }, 'peer reconnecting');
  }

  /** Takes the participant out of its room, tells the others, forgets an empty room. */
  removeParticipant(room: Room, participant: Participant, reason: PeerLeftReason): void {
    if (!room.remove(participant)) return;
    room.broadcast('peerLeft', { peerId: participant.id, reason });
    this.rooms.release(room);
    this.rooms.changed();
    this.logger.info({ roomId: room.id, peerId: participant.id, reason }, 'peer left');
  }

  #scheduleRoomList(): void {
    if (this.#roomListTimer || this.#lobby.size === 0 || !this.config.roomListEnabled) return;
    this.#roomListTimer = setTimeout(() => {
      this.#roomListTimer = undefined;
      if (this.#lobby.size === 0) return;
      const frame = notificationFrame('roomList', { rooms: this.rooms.list() });
      for (const connection of this.#lobby) connection.sendFrame(frame);
    }, ROOM_LIST_THROTTLE_MS);
  }

  /** Stops taking connections, tells every peer why, and closes them (they will reconnect). */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.wss.stop();
    clearTimeout(this.#roomListTimer);
    this.#stopJoinSweep();
    const frame = notificationFrame('serverClosing', { reason });
    for (const connection of this.#connections) {
      connection.sendFrame(frame);
      connection.close(CloseCode.GOING_AWAY, reason);
    }
    this.rooms.clear();
  }
}

function parseQuery(request: IncomingMessage): { roomId: string | undefined; peerId: string | undefined } {
  const url = request.url ?? '/';
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  return { roomId: query.get('roomId') ?? undefined, peerId: query.get('peerId') ?? undefined };
}
