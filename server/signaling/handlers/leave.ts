/** leave: leave the room for good; the connection is closed after the response. */
import { CloseCode } from '../../../lib/signaling/protocol';
import type { Handler } from '../handler';

export const leave: Handler<'leave'> = {
  scope: 'joined',
  bucket: 'requests',
  handle(ctx) {
    const { signaling, connection, participant, room } = ctx;
    participant.link = undefined;
    connection.participant = undefined;
    signaling.removeParticipant(room, participant, 'left');
    ctx.after(() => connection.close(CloseCode.FINAL, 'left'));
    return {};
  },
};
