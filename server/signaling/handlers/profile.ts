/**
 * setPresence, setDisplayName, setFields: change this peer's public state. The others
 * get a peerUpdated delta for this peer only, never the whole list.
 */
import { jsonProblem } from '../../../lib/signaling/json';
import { MAX_FIELD_KEYS, type PeerUpdate } from '../../../lib/signaling/protocol';
import { withoutNulls } from '../../rooms/Participant';
import { AppError } from '../AppError';
import type { Handler, JoinedContext } from '../handler';

function publish(ctx: JoinedContext, changes: PeerUpdate): void {
  ctx.room.broadcast('peerUpdated', { peerId: ctx.participant.id, changes }, { except: ctx.participant });
}

export const setPresence: Handler<'setPresence'> = {
  scope: 'joined',
  bucket: 'requests',
  handle(ctx, data) {
    const presence = data.status === undefined ? { show: data.show } : { show: data.show, status: data.status };
    ctx.participant.presence = presence;
    publish(ctx, { presence });
    return {};
  },
};

export const setDisplayName: Handler<'setDisplayName'> = {
  scope: 'joined',
  bucket: 'requests',
  handle(ctx, data) {
    ctx.participant.displayName = data.displayName;
    publish(ctx, { displayName: data.displayName });
    return {};
  },
};

export const setFields: Handler<'setFields'> = {
  scope: 'joined',
  bucket: 'requests',
  handle(ctx, data) {
    const { limits } = ctx.signaling;
    const merged = withoutNulls({ ...ctx.participant.fields, ...data.fields });
    if (Object.keys(merged).length > MAX_FIELD_KEYS) throw new AppError('TOO_LARGE', `at most ${MAX_FIELD_KEYS} fields`);
    const problem = jsonProblem(merged, limits.maxJsonDepth, limits.maxFieldsBytes);
    if (problem) throw new AppError('TOO_LARGE', `fields would be ${problem}`);
    ctx.participant.fields = merged;
    publish(ctx, { fields: merged });
    return { fields: merged };
  },
};
