/**
 * The plain-`ws` reference's protocol handling (bench/servers/ws.ts): one function per
 * received message, frames built by string concatenation around one JSON.stringify, a
 * fan-out serialized once. Kept apart from the server so that bench/chat-path.ts can
 * measure it on its own, next to Confab's.
 */
import type { RawData } from 'ws';
import { chatMessage, joinResponse, peerInfo, SIGNALS, type ChatCounter, type PeerInfo } from './shapes';

export interface Member {
  id: string;
  /** The id as a JSON string, computed once. */
  idJson: string;
  /** The connection (a `ws` WebSocket): only `send` is used. */
  ws: { send(data: string): void };
  info: PeerInfo | undefined;
}

export interface RoomState extends ChatCounter {
  members: Map<string, Member>;
}

interface Request {
  request?: boolean;
  id?: number;
  method?: string;
  data?: Record<string, unknown>;
}

const ok = (id: number, dataJson: string): string => `{"response":true,"id":${id},"ok":true,"data":${dataJson}}`;
const error = (id: number, code: number, reason: string): string =>
  `{"response":true,"id":${id},"ok":false,"errorCode":${code},"errorReason":${JSON.stringify(reason)}}`;
export const notification = (method: string, dataJson: string): string => `{"notification":true,"method":"${method}","data":${dataJson}}`;

/** Handles one message from `member` of `room`. */
export function onMessage(room: RoomState, member: Member, raw: RawData, isBinary: boolean): void {
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
    const messageJson = `{"message":${JSON.stringify(chatMessage(room, self, String(data.text)))}}`;
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
}
