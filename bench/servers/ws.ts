/**
 * (c) The ceiling: a hand-written protoo server on plain `ws`, as lean as it can be
 * while keeping Confab's wire shapes (protoo JSON frames, subprotocol `protoo`). Frames
 * are built by string concatenation around one JSON.stringify of the payload, a fan-out
 * is serialized once, there is no event emitter, validation, rate limit, heartbeat,
 * history or resume. Methods and shapes as in bench/servers/protoo.ts; the message
 * handling is in ws-protocol.ts.
 *
 *   node --import tsx bench/servers/ws.ts      # prints "ws listening 127.0.0.1:<port>"
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { runChild } from './child';
import { newChatCounter, parseTarget } from './shapes';
import { notification, onMessage, type Member, type RoomState } from './ws-protocol';

function abort(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

runChild('ws', async () => {
  const rooms = new Map<string, RoomState>();
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: 960_000 });
  const httpServer = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const sockets = new Set<WebSocket>();

  httpServer.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const { path, peerId, roomId } = parseTarget(req.url);
    if (path !== '/protoo') return abort(socket, 404, 'Not Found');
    if (!peerId || !roomId) return abort(socket, 400, 'Bad Request');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((value) => value.trim());
    if (!offered.includes('protoo')) return abort(socket, 403, 'Forbidden');
    if (rooms.get(roomId)?.members.has(peerId)) return abort(socket, 409, 'Conflict');
    wss.handleUpgrade(req, socket, head, (ws) => {
      let room = rooms.get(roomId);
      if (!room) rooms.set(roomId, (room = { members: new Map(), ...newChatCounter() }));
      const state = room;
      const member: Member = { id: peerId, idJson: JSON.stringify(peerId), ws, info: undefined };
      state.members.set(peerId, member);
      sockets.add(ws);
      ws.on('message', (raw, isBinary) => onMessage(state, member, raw, isBinary));
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        sockets.delete(ws);
        state.members.delete(peerId);
        if (member.info) {
          const frame = notification('peerLeft', `{"peerId":${member.idJson},"reason":"left"}`);
          for (const other of state.members.values()) if (other.info) other.ws.send(frame);
        }
        if (state.members.size === 0 && rooms.get(roomId) === state) rooms.delete(roomId);
      });
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    port: (httpServer.address() as AddressInfo).port,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
});
