/** The call's stores, split by concern; `resetStores()` starts a call afresh. */
import { useStore } from 'zustand';
import { chatActions, chatStore, type ChatState } from './chat';
import { connectionActions, connectionStore, type ConnectionState } from './connection';
import { mediaActions, mediaStore, type MediaState } from './media';
import { peersActions, peersStore, type PeersState } from './peers';
import { uiActions, uiStore, type UiState } from './ui';

export * from './chat';
export * from './connection';
export * from './media';
export * from './peers';
export * from './ui';

export function resetStores(): void {
  connectionActions.reset();
  peersActions.reset();
  chatActions.reset();
  uiActions.reset();
  // The media store keeps the display name and device choices between calls.
  mediaStore.setState({ screenSharing: false, mediaError: null });
}

// Narrow selector hooks for components.
export const useConnection = <T>(selector: (state: ConnectionState) => T): T => useStore(connectionStore, selector);
export const useMedia = <T>(selector: (state: MediaState) => T): T => useStore(mediaStore, selector);
export const usePeers = <T>(selector: (state: PeersState) => T): T => useStore(peersStore, selector);
export const useChat = <T>(selector: (state: ChatState) => T): T => useStore(chatStore, selector);
export const useUi = <T>(selector: (state: UiState) => T): T => useStore(uiStore, selector);

export { mediaActions };
