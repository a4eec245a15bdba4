/**
 * (b) Reference server on the official `protoo-server@4` package (WebSocket-Node
 * underneath), written the way its documentation suggests: one protoo Room per room
 * id, `room.createPeer()` on each accepted connection (synchronous in 4.0.8), and
 * `peer.notify()` per recipient (the package serializes each notification per peer;
 * it has no broadcast). Same wire shapes as Confab for the methods the benchmark uses:
 *   join    → { self, peers, chat, iceConfig, limits, resumeToken, … }; others get peerJoined
 *   chat    → { message }; the other joined peers get chat { message }
 *   offer / answer / candidate { to, … } → {}; `to` gets { from, … }
 * No validation, rate limits, history or resume.
 *
 *   node --import tsx bench/servers/protoo.ts      # prints "protoo listening 127.0.0.1:<port>"
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import protooServer, { type Peer, type Room } from 'protoo-server';
import { runChild } from './child';
import { chatMessage, joinResponse, newChatCounter, parseTarget, peerInfo, signalPayload, SIGNALS, type ChatCounter, type PeerInfo } from './shapes';

interface RoomState extends ChatCounter {
  room: Room;
  /** Joined peers, by id. */
  joined: Map<string, { peer: Peer; info: PeerInfo }>;
}

const ignore = (): void => {};

runChild('protoo', async () => {
  const httpServer = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new protooServer.WebSocketServer(httpServer, { maxReceivedFrameSize: 960_000, maxReceivedMessageSize: 960_000 });
  const rooms = new Map<string, RoomState>();

  wss.on('connectionrequest', (info, accept, reject) => {
    const { peerId, roomId } = parseTarget(info.request.url);
    if (!peerId || !roomId) return reject(400, 'peerId and roomId are required');
    let state = rooms.get(roomId);
    if (state?.room.peers.some((peer) => peer.id === peerId)) return reject(409, 'peer id in use');
    if (!state) {
      state = { room: new protooServer.Room(), joined: new Map(), ...newChatCounter() };
      rooms.set(roomId, state);
    }
    const room = state;
    const peer = room.room.createPeer(peerId, accept());
    let self: PeerInfo | undefined;

    peer.on('request', (request, respond, fail) => {
      const data = (request.data ?? {}) as Record<string, unknown>;
      if (request.method === 'join') {
        if (self) return fail(409, 'already joined');
        const joined = peerInfo(peerId, data);
        const peers = [...room.joined.values()].map((other) => other.info);
        for (const other of room.joined.values()) other.peer.notify('peerJoined', { peer: joined }).catch(ignore);
        room.joined.set(peerId, { peer, info: joined });
        self = joined;
        return respond(joinResponse(joined, peers));
      }
      if (!self) return fail(401, 'join the room first');
      if (request.method === 'chat') {
        const message = chatMessage(room, self, String(data.text));
        for (const other of room.joined.values()) {
          if (other.peer !== peer) other.peer.notify('chat', { message }).catch(ignore);
        }
        return respond({ message });
      }
      if (SIGNALS.has(request.method)) {
        const target = room.joined.get(String(data.to));
        if (!target || target.peer === peer) return fail(404, 'unknown peer');
        target.peer.notify(request.method, signalPayload(peerId, data)).catch(ignore);
        return respond({});
      }
      fail(405, `unknown method "${request.method}"`);
    });

    peer.on('close', () => {
      if (self && room.joined.get(peerId)?.peer === peer) {
        room.joined.delete(peerId);
        for (const other of room.joined.values()) other.peer.notify('peerLeft', { peerId, reason: 'left' }).catch(ignore);
      }
      if (room.room.peers.length === 0 && rooms.get(roomId) === room) {
        rooms.delete(roomId);
        room.room.close();
      }
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    port: (httpServer.address() as AddressInfo).port,
    close: async () => {
      for (const state of rooms.values()) state.room.close();
      wss.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
});
