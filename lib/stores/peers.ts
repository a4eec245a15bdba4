/**
 * peers store: the other participants, by id, in join order.
 *
 * {
 *   order: string[]                       peer ids, oldest first
 *   byId: Record<string, RemotePeer>
 * }
 * RemotePeer = PeerInfo (from signaling: displayName, presence, fields, connection, ...) &
 * {
 *   link: 'new' | 'connecting' | 'connected' | 'reconnecting' | 'failed'   our WebRTC link to them
 *   speaking: boolean
 *   mediaVersion: number   bumps when their camera or screen stream changes (streams live in RoomClient)
 *   hasScreen: boolean     a screen-share stream arrived
 * }
 */
import { createStore } from 'zustand/vanilla';
import type { PeerInfo, PeerUpdate } from '../signaling/protocol';

export type LinkState = 'new' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface RemotePeer extends PeerInfo {
  link: LinkState;
  speaking: boolean;
  mediaVersion: number;
  hasScreen: boolean;
}

export interface PeersState {
  order: string[];
  byId: Record<string, RemotePeer>;
}

export const peersStore = createStore<PeersState>()(() => ({ order: [], byId: {} }));

function withPeer(id: string, change: (peer: RemotePeer) => RemotePeer): void {
  peersStore.setState((state) => {
    const peer = state.byId[id];
    if (!peer) return state;
    const changed = change(peer);
    return changed === peer ? state : { byId: { ...state.byId, [id]: changed } };
  });
}

export const peersActions = {
  reset: (): void => peersStore.setState({ order: [], byId: {} }, true),
  /** Adds or replaces a peer (keeping its link state when it was known). */
  upsert: (info: PeerInfo): void =>
    peersStore.setState((state) => {
      const known = state.byId[info.id];
      const peer: RemotePeer = known ? { ...known, ...info } : { ...info, link: 'new', speaking: false, mediaVersion: 0, hasScreen: false };
      return { order: known ? state.order : [...state.order, info.id], byId: { ...state.byId, [info.id]: peer } };
    }),
  remove: (id: string): void =>
    peersStore.setState((state) => {
      if (!state.byId[id]) return state;
      const byId = { ...state.byId };
      delete byId[id];
      return { order: state.order.filter((peerId) => peerId !== id), byId };
    }),
  update: (id: string, changes: PeerUpdate): void => withPeer(id, (peer) => ({ ...peer, ...changes })),
  setLink: (id: string, link: LinkState): void => withPeer(id, (peer) => (peer.link === link ? peer : { ...peer, link })),
  setSpeaking: (id: string, speaking: boolean): void => withPeer(id, (peer) => (peer.speaking === speaking ? peer : { ...peer, speaking })),
  mediaChanged: (id: string, hasScreen: boolean): void => withPeer(id, (peer) => ({ ...peer, hasScreen, mediaVersion: peer.mediaVersion + 1 })),
};
