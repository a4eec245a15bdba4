/**
 * LobbyClient: a lobby connection (no room) that keeps the room list in the lobby
 * store, live: the server pushes `roomList` when counts change.
 */
import { signalingUrl } from '../signaling/path';
import { lobbyStore } from '../stores/lobby';
import { newPeerId } from './identity';
import { signalingPeer, type SignalingPeer } from './signalingPeer';

export class LobbyClient {
  readonly #peer: SignalingPeer;

  constructor() {
    lobbyStore.setState({ status: 'connecting' });
    this.#peer = signalingPeer(signalingUrl(window.location, { peerId: `lobby-${newPeerId()}` }));
    this.#peer.on('open', () => {
      this.#peer.request('getRoomList', {}).then(
        ({ rooms }) => lobbyStore.setState({ rooms, status: 'live' }),
        () => lobbyStore.setState({ status: 'unavailable' }),
      );
    });
    this.#peer.on('notification', (notification) => {
      if (notification.method === 'roomList') lobbyStore.setState({ rooms: notification.data.rooms, status: 'live' });
    });
    this.#peer.on('disconnected', () => lobbyStore.setState({ status: 'connecting' }));
    this.#peer.on('close', () => lobbyStore.setState({ status: 'unavailable' }));
  }

  close(): void {
    this.#peer.removeAllListeners();
    this.#peer.close();
  }
}
