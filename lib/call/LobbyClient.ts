/**
 * LobbyClient: a lobby connection (no room) that keeps the room list in the lobby
 * store, live: the server pushes `roomList` when counts change.
 */
import { Peer, WebSocketTransport } from '../protoo/client';
import { signalingUrl } from '../signaling/path';
import type { ClientSends, ServerSends } from '../signaling/protocol';
import { lobbyStore } from '../stores/lobby';
import { newPeerId } from './identity';

export class LobbyClient {
  readonly #peer: Peer<ClientSends, ServerSends>;

  constructor() {
    lobbyStore.setState({ status: 'connecting' });
    this.#peer = new Peer<ClientSends, ServerSends>(new WebSocketTransport(signalingUrl(window.location, { peerId: `lobby-${newPeerId()}` })));
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
