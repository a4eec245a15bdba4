/**
 * The wire shapes the reference servers send, the same as Confab's protocol
 * (docs/protocol.md) for the methods the benchmark uses: join (PeerInfo list, join
 * response), chat (ChatMessage), the relayed signals, peerJoined and peerLeft. Kept free
 * of Confab imports (zod, the protocol schemas) so the references load nothing extra.
 */
import { DEFAULT_LIMITS } from '../../lib/signaling/protocol';
import { randomBytes } from 'node:crypto';

export interface PeerInfo {
  id: string;
  displayName: string;
  presence: { show: string; status?: string };
  fields: Record<string, unknown>;
  device?: unknown;
  joinedAt: number;
  connection: 'connected';
}

export interface ChatMessage {
  id: string;
  seq: number;
  from: string;
  fromName: string;
  to?: string;
  text: string;
  ts: number;
}

/** Confab's DEFAULT_LIMITS, as sent in its join response. */
export const LIMITS = DEFAULT_LIMITS;

export const SIGNALS = new Set(['offer', 'answer', 'candidate']);

type JoinData = { displayName?: unknown; presence?: unknown; fields?: unknown; device?: unknown };

export function peerInfo(id: string, data: JoinData): PeerInfo {
  const info: PeerInfo = {
    id,
    displayName: typeof data.displayName === 'string' ? data.displayName : id,
    presence: (data.presence as PeerInfo['presence'] | undefined) ?? { show: 'chat' },
    fields: (data.fields as Record<string, unknown> | undefined) ?? {},
    joinedAt: Date.now(),
    connection: 'connected',
  };
  if (data.device !== undefined) info.device = data.device;
  return info;
}

export function joinResponse(self: PeerInfo, peers: PeerInfo[]) {
  return {
    self,
    peers,
    chat: [] as ChatMessage[],
    iceConfig: { iceServers: [], iceTransportPolicy: 'all', expiresAt: null },
    limits: LIMITS,
    resumeToken: randomBytes(24).toString('base64url'),
    reconnectGraceMs: 15_000,
    resumed: false,
  };
}

/** A room's chat counter and id prefix: ids are `<prefix>-<seq>`, as Confab makes them. */
export interface ChatCounter {
  chatSeq: number;
  chatIdPrefix: string;
}

export function newChatCounter(): ChatCounter {
  return { chatSeq: 0, chatIdPrefix: randomBytes(9).toString('base64url') };
}

export function chatMessage(room: ChatCounter, from: PeerInfo, text: string): ChatMessage {
  const seq = ++room.chatSeq;
  return { id: `${room.chatIdPrefix}-${seq}`, seq, from: from.id, fromName: from.displayName, text, ts: Date.now() };
}

/** The notification payload a signal's target receives: the request data with `from` stamped, `to` dropped. */
export function signalPayload(from: string, data: Record<string, unknown>): Record<string, unknown> {
  const { to: _to, ...rest } = data;
  return { from, ...rest };
}

export function parseTarget(url: string | undefined): { path: string; peerId: string | null; roomId: string | null } {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  const params = new URLSearchParams(query === -1 ? '' : raw.slice(query + 1));
  return { path: query === -1 ? raw : raw.slice(0, query), peerId: params.get('peerId'), roomId: params.get('roomId') };
}
