/**
 * offer, answer, candidate, reject, hangup: WebRTC signaling relayed to one peer of
 * the same room. The sender is stamped from the connection, never taken from the
 * client. Signals to a reconnecting peer are kept and delivered when it resumes.
 */
import type { RequestName, ServerNotifications, SignalMethod, ValidRequestData } from '../../../lib/signaling/protocol';
import { notificationFrame } from '../../rooms/Room';
import type { Handler, JoinedContext } from '../handler';
import { targetPeer } from './target';

function relay<M extends SignalMethod>(ctx: JoinedContext, method: M, to: string, payload: ServerNotifications[M]): Record<string, never> {
  const target = targetPeer(ctx, to);
  const frame = notificationFrame(method, payload);
  target.deliver(frame, true);
  ctx.signaling.metrics.relayed(frame.length);
  return {};
}

function signalHandler<M extends SignalMethod & RequestName>(
  method: M,
  toPayload: (from: string, data: ValidRequestData<M>) => ServerNotifications[M],
): Handler<M> {
  return {
    scope: 'joined',
    bucket: 'signals',
    handle: (ctx, data) => relay(ctx, method, data.to, toPayload(ctx.participant.id, data)),
  } as Handler<M>;
}

export const offer = signalHandler('offer', (from, data) => ({ from, description: data.description }));
export const answer = signalHandler('answer', (from, data) => ({ from, description: data.description }));
export const candidate = signalHandler('candidate', (from, data) => ({ from, candidate: data.candidate }));
export const reject = signalHandler('reject', (from, data) => (data.reason === undefined ? { from } : { from, reason: data.reason }));
export const hangup = signalHandler('hangup', (from, data) => (data.reason === undefined ? { from } : { from, reason: data.reason }));
