/**
 * lobby store: the live list of active rooms on the home page.
 *
 * {
 *   rooms: { id, peerCount }[] | null   null until the first answer
 *   status: 'connecting' | 'live' | 'unavailable'   unavailable: turned off or unreachable
 * }
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { RoomSummary } from '../signaling/protocol';

export interface LobbyState {
  rooms: RoomSummary[] | null;
  status: 'connecting' | 'live' | 'unavailable';
}

export const lobbyStore = createStore<LobbyState>()(() => ({ rooms: null, status: 'connecting' }));

export const useLobby = <T>(selector: (state: LobbyState) => T): T => useStore(lobbyStore, selector);
