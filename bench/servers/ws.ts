/**
 * (c) The ceiling: a hand-written protoo server on plain `ws`, as lean as it can be
 * while keeping Confab's wire shapes (protoo JSON frames, subprotocol `protoo`). Frames
 * are built by string concatenation around one JSON.stringify of the payload, a fan-out
 * is serialized once, there is no event emitter, validation, rate limit, heartbeat,
 * history or resume. Methods and shapes as in bench/servers/protoo.ts.
 *
 *   node --import tsx bench/servers/ws.ts      # prints "ws listening 127.0.0.1:<port>"
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { runChild } from './child';
import { chatMessage, joinResponse, parseTarget, peerInfo, SIGNALS, type PeerInfo } from './shapes';

interface Member {
  id: string;
  /** The id as a JSON string, computed once. */
  idJson: string;
  ws: WebSocket;
  info: PeerInfo | undefined;
}

interface RoomState {
  members: Map<string, Member>;
  chatSeq: number;
}

interface Request {
  request?: boolean;
  id?: number;
  method?: string;
  data?: Record<string, unknown>;
}

function abort(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

const ok = (id: number, dataJson: string): string => `{"response":true,"id":${id},"ok":true,"data":${dataJson}}`;
const error = (id: number, code: number, reason: string): string =>
  `{"response":true,"id":${id},"ok":false,"errorCode":${code},"errorReason":${JSON.stringify(reason)}}`;
const notification = (method: string, dataJson: string): string => `{"notification":true,"method":"${method}","data":${dataJson}}`;

runChild('ws', async () => {
  const rooms = new Map<string, RoomState>();
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: 960_000 });
  const httpServer = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const sockets = new Set<WebSocket>();

  const onMessage = (room: RoomState, member: Member, raw: RawData, isBinary: boolean): void => {
    if (isBinary) return;
    let request: Request;
    try {
      // binaryType is 'nodebuffer': one Buffer per message.
      request = JSON.parse((raw as Buffer).toString()) as Request;
    } catch {
      return;
    }
    const id = request.id;
    if (request.request !== true || typeof id !== 'number') return;
    const data = request.data ?? {};
    const ws = member.ws;
    const method = request.method ?? '';
    if (method === 'join') {
      if (member.info) return ws.send(error(id, 409, 'already joined'));
      const self = peerInfo(member.id, data);
      const peers: PeerInfo[] = [];
      const joinedFrame = notification('peerJoined', `{"peer":${JSON.stringify(self)}}`);
      for (const other of room.members.values()) {
        if (!other.info) continue;
        peers.push(other.info);
        other.ws.send(joinedFrame);
      }
      member.info = self;
      return ws.send(ok(id, JSON.stringify(joinResponse(self, peers))));
    }
    const self = member.info;
    if (!self) return ws.send(error(id, 401, 'join the room first'));
    if (method === 'chat') {
      const messageJson = `{"message":${JSON.stringify(chatMessage(++room.chatSeq, self, String(data.text)))}}`;
      const frame = notification('chat', messageJson);
      for (const other of room.members.values()) if (other !== member && other.info) other.ws.send(frame);
      return ws.send(ok(id, messageJson));
    }
    if (SIGNALS.has(method)) {
      const target = room.members.get(String(data.to));
      if (!target?.info || target === member) return ws.send(error(id, 404, 'unknown peer'));
      const body = method === 'candidate' ? `"candidate":${JSON.stringify(data.candidate ?? null)}` : `"description":${JSON.stringify(data.description)}`;
      target.ws.send(notification(method, `{"from":${member.idJson},${body}}`));
      return ws.send(ok(id, '{}'));
    }
    ws.send(error(id, 405, 'unknown method'));
  };

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
      if (!room) rooms.set(roomId, (room = { members: new Map(), chatSeq: 0 }));
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
