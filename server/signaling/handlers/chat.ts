/**
 * chat: a message to the room (kept in its history for late joiners) or, with `to`,
 * to one peer only. The server stamps id, sender, sequence and time; the sender gets
 * the stamped message in the response.
 */
import { randomUUID } from 'node:crypto';
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
    const message: ChatMessage = {
      id: randomUUID(),
      seq: room.nextChatSeq(),
      from: participant.id,
      fromName: participant.displayName,
      text: data.text,
      ts: Date.now(),
    };
    if (target) {
      message.to = target.id;
      target.deliver(notificationFrame('chat', { message }), true);
    } else {
      room.remember(message);
      room.broadcast('chat', { message }, { except: participant });
    }
    return { message };
  },
};
