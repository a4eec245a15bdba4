/**
 * chat: a message to the room (kept in its history for late joiners) or, with `to`,
 * to one peer only (kept for both ends' resumes). The server stamps id, sender, sequence and time; the sender gets
 * the stamped message in the response (its id is the room's random prefix and the
 * sequence number). The message is serialized once, for the notification and the response.
 */
import { SerializedData } from '../../../lib/protoo/Message';
import type { ChatMessage } from '../../../lib/signaling/protocol';
import { notificationFrame } from '../../rooms/Room';
import type { Handler } from '../handler';
import { targetPeer } from './target';

export const chat: Handler<'chat'> = {
  scope: 'joined',
  bucket: 'requests',
  handle(ctx, data) {
    const { participant, room } = ctx;
    const target = data.to === undefined ? undefined : targetPeer(ctx, data.to);
    const seq = room.nextChatSeq();
    const message: ChatMessage = {
      id: room.chatId(seq),
      seq,
      from: participant.id,
      fromName: participant.displayName,
      text: data.text,
      ts: Date.now(),
    };
    if (target) message.to = target.id;
    const payload = new SerializedData({ message });
    if (target) {
      room.rememberPrivate(message, participant, target);
      target.deliver(notificationFrame('chat', payload), true);
    } else {
      room.remember(message);
      room.broadcast('chat', payload, { except: participant });
    }
    return payload;
  },
};
