/** target: the addressee of a peer-to-peer message, which must be another peer of the same room. */
import type { Participant } from '../../rooms/Participant';
import { AppError } from '../AppError';
import type { JoinedContext } from '../handler';

export function targetPeer(ctx: JoinedContext, to: string): Participant {
  if (to === ctx.participant.id) throw new AppError('BAD_REQUEST', 'cannot send this to yourself');
  const target = ctx.room.get(to);
  if (!target) throw new AppError('UNKNOWN_PEER', `no peer "${to}" in this room`);
  return target;
}
