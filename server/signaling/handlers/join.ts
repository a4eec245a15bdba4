/** join: enter the connection's room, or resume the same identity within the grace. */
import { CloseCode, type JoinResponse, type PeerUpdate, type ValidRequestData } from '../../../lib/signaling/protocol';
import { createIceConfig } from '../../ice';
import { Participant, withoutNulls } from '../../rooms/Participant';
import type { Room } from '../../rooms/Room';
import { AppError } from '../AppError';
import type { Handler, HandlerContext } from '../handler';

export const join: Handler<'join'> = {
  scope: 'connection',
  bucket: 'requests',
  handle(ctx, data) {
    const { signaling, connection } = ctx;
    const roomId = connection.roomId;
    if (roomId === undefined) throw new AppError('BAD_REQUEST', 'connect with ?roomId= to join a room');
    if (connection.participant) throw new AppError('CONFLICT', 'already joined');

    const existingRoom = signaling.rooms.get(roomId);
    const existing = existingRoom?.get(connection.peerId);
    if (existingRoom && existing) {
      if (!existing.hasResumeToken(data.resumeToken)) {
        // Close after the error response: this peer id is someone else's.
        ctx.after(() => connection.close(CloseCode.FINAL, 'peer id in use'));
        throw new AppError('FORBIDDEN', 'peer id in use: resume with its token or connect with a new peer id');
      }
      return resume(ctx, existingRoom, existing, data);
    }

    const { maxPeersPerRoom } = signaling.limits;
    if (existingRoom && existingRoom.size >= maxPeersPerRoom) {
      throw new AppError('ROOM_FULL', `room is full (${maxPeersPerRoom} of ${maxPeersPerRoom})`);
    }
    const room = existingRoom ?? signaling.rooms.getOrCreate(roomId);
    if (!room) throw new AppError('SERVER_FULL', 'too many rooms on this server, try again later');

    const participant = new Participant({
      id: connection.peerId,
      displayName: data.displayName,
      presence: data.presence,
      fields: data.fields,
      device: data.device,
      joinedAt: Date.now(),
    });
    const peers = [...room.participants()].map((other) => other.info());
    room.add(participant);
    attach(ctx, participant);
    room.broadcast('peerJoined', { peer: participant.info() }, { except: participant });
    signaling.rooms.changed();
    signaling.metrics.join();
    signaling.logger.info({ roomId, peerId: participant.id, peers: room.size }, 'peer joined');
    return response(ctx, room, participant, peers, false);
  },
};

function resume(ctx: HandlerContext, room: Room, participant: Participant, data: ValidRequestData<'join'>): JoinResponse {
  const { signaling, connection } = ctx;
  const previous = participant.link;
  const wasReconnecting = previous === undefined;
  participant.clearGraceTimer();
  attach(ctx, participant);
  // The old socket (a reloaded page whose close has not arrived yet) is replaced.
  if (previous && previous !== connection) previous.close(CloseCode.FINAL, 'replaced by a newer connection');
  const changes = takeState(participant, data);
  if (wasReconnecting) changes.connection = 'connected';
  if (Object.keys(changes).length > 0) room.broadcast('peerUpdated', { peerId: participant.id, changes }, { except: participant });
  const missed = participant.takeMissed();
  ctx.after(() => {
    for (const frame of missed.frames) connection.sendFrame(frame);
  });
  signaling.metrics.join();
  signaling.logger.info({ roomId: room.id, peerId: participant.id, replayed: missed.frames.length, overflow: missed.overflow }, 'peer resumed');
  const peers = [...room.participants()].filter((other) => other !== participant).map((other) => other.info());
  return response(ctx, room, participant, peers, true);
}

/**
 * The state a resuming join states (name, and presence and fields when given) replaces the
 * old: what the client changed while its socket was dead (a request written into it was
 * lost) or while it reloaded. Returns what changed, for the others.
 */
function takeState(participant: Participant, data: ValidRequestData<'join'>): PeerUpdate {
  const changes: PeerUpdate = {};
  if (data.displayName !== participant.displayName) changes.displayName = participant.displayName = data.displayName;
  if (data.presence && JSON.stringify(data.presence) !== JSON.stringify(participant.presence)) changes.presence = participant.presence = data.presence;
  if (data.fields) {
    const fields = withoutNulls(data.fields);
    if (JSON.stringify(fields) !== JSON.stringify(participant.fields)) changes.fields = participant.fields = fields;
  }
  return changes;
}

function attach(ctx: HandlerContext, participant: Participant): void {
  const { connection } = ctx;
  ctx.signaling.joined(connection);
  connection.participant = participant;
  participant.link = connection;
}

function response(ctx: HandlerContext, room: Room, participant: Participant, peers: JoinResponse['peers'], resumed: boolean): JoinResponse {
  const { signaling } = ctx;
  return {
    self: participant.info(),
    peers,
    chat: participant.chat(room.history()),
    iceConfig: createIceConfig(signaling.config.ice, participant.id),
    limits: signaling.limits,
    resumeToken: participant.resumeToken,
    reconnectGraceMs: signaling.config.reconnectGraceMs,
    resumed,
  };
}
