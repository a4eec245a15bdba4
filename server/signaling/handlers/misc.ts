/** getIceConfig, getRoomList, appMessage, ping. */
import { createIceConfig } from '../../ice';
import { notificationFrame } from '../../rooms/Room';
import { AppError } from '../AppError';
import type { Handler } from '../handler';
import { targetPeer } from './target';

/** A fresh ICE config: long calls refresh before their TURN credentials expire. */
export const getIceConfig: Handler<'getIceConfig'> = {
  scope: 'joined',
  bucket: 'requests',
  handle: (ctx) => createIceConfig(ctx.signaling.config.ice, ctx.participant.id),
};

export const getRoomList: Handler<'getRoomList'> = {
  scope: 'connection',
  bucket: 'requests',
  handle(ctx) {
    if (!ctx.signaling.config.roomListEnabled) throw new AppError('FORBIDDEN', 'the room list is turned off on this server');
    return { rooms: ctx.signaling.rooms.list() };
  },
};

/** Custom application data to one peer or the whole room (like EasyRTC's easyrtcMsg). */
export const appMessage: Handler<'appMessage'> = {
  scope: 'joined',
  bucket: 'signals',
  handle(ctx, data) {
    const from = ctx.participant.id;
    if (data.to === undefined) {
      ctx.room.broadcast('appMessage', { from, data: data.data }, { except: ctx.participant, replay: true });
    } else {
      const target = targetPeer(ctx, data.to);
      target.deliver(notificationFrame('appMessage', { from, to: target.id, data: data.data }), true);
    }
    return {};
  },
};

export const ping: Handler<'ping'> = {
  scope: 'connection',
  bucket: 'requests',
  handle: () => ({ serverTime: Date.now() }),
};
