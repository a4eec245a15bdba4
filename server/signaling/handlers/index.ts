/** Every request method's handler; the type makes a missing one a compile error. */
import type { Handlers } from '../handler';
import { chat } from './chat';
import { join } from './join';
import { leave } from './leave';
import { appMessage, getIceConfig, getRoomList, ping } from './misc';
import { setDisplayName, setFields, setPresence } from './profile';
import { answer, candidate, hangup, offer, reject } from './signals';

export const handlers: Handlers = {
  join,
  leave,
  chat,
  setPresence,
  setDisplayName,
  setFields,
  offer,
  answer,
  candidate,
  reject,
  hangup,
  getIceConfig,
  getRoomList,
  appMessage,
  ping,
};
