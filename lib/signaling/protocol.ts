/**
 * The app protocol on top of protoo, defined once for server and browser: every
 * request the browser sends, every notification the server sends, as zod schemas and
 * the TypeScript types derived from them. The server validates every payload against
 * these schemas before acting; docs/protocol.md documents them for other clients.
 *
 * Schemas are built from the server's limits (`createRequestSchemas(limits)`): the
 * same limits travel to the browser in the join response.
 */
import { z } from 'zod';
import { jsonProblem } from './json';

export * from './constants';
import { ID_PATTERN, type Limits } from './constants';

export { cleanText } from './text';
import { cleanText } from './text';

/** Plain text: controls removed, trimmed, 1..max characters. Multiline keeps line breaks and tabs. */
function plainText(max: number, what: string, multiline = false) {
  return z
    .string()
    .max(max * 4, `${what} is longer than ${max} characters`)
    .transform((text) => cleanText(text, multiline))
    .pipe(z.string().min(1, `${what} is empty`).max(max, `${what} is longer than ${max} characters`));
}

function boundedJson(maxBytes: number, maxDepth: number, what: string) {
  return z.unknown().superRefine((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `${what} is missing` });
      return;
    }
    const problem = jsonProblem(value, maxDepth, maxBytes);
    if (problem) ctx.addIssue({ code: 'custom', message: `${what} is ${problem}`, params: { tooLarge: problem.startsWith('larger') } });
  });
}

const peerId = z.string().regex(ID_PATTERN, 'must be 1-64 of A-Z a-z 0-9 _ -');

export const presenceShow = z.enum(['chat', 'away', 'dnd', 'xa']);

/** The most public fields one peer may have (in a join, a setFields, and merged). */
export const MAX_FIELD_KEYS = 32;

export function createRequestSchemas(limits: Limits) {
  const presence = z.strictObject({
    show: presenceShow,
    status: plainText(limits.maxStatusLength, 'status').optional(),
  });
  const fields = z.record(z.string().max(64), z.unknown()).superRefine((value, ctx) => {
    if (Object.keys(value).length > MAX_FIELD_KEYS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_FIELD_KEYS} fields`, params: { tooLarge: true } });
      return;
    }
    const problem = jsonProblem(value, limits.maxJsonDepth, limits.maxFieldsBytes);
    if (problem) ctx.addIssue({ code: 'custom', message: `fields are ${problem}`, params: { tooLarge: problem.startsWith('larger') } });
  });
  const device = z.strictObject({
    browser: z.string().max(32).optional(),
    os: z.string().max(32).optional(),
    mobile: z.boolean().optional(),
  });
  const description = <T extends 'offer' | 'answer'>(type: T) =>
    z.strictObject({
      type: z.literal(type),
      sdp: z.string().min(1).max(limits.maxSdpBytes, `sdp is larger than ${limits.maxSdpBytes} bytes`),
    });
  const candidate = z
    .strictObject({
      candidate: z.string().max(limits.maxCandidateBytes, `candidate is larger than ${limits.maxCandidateBytes} bytes`),
      sdpMid: z.string().max(64).nullable().optional(),
      sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
      usernameFragment: z.string().max(256).nullable().optional(),
    })
    .nullable();
  const empty = z.strictObject({});

  return {
    /** Enter the room of the connection (or resume the same identity within the grace). */
    join: {
      data: z.strictObject({
        displayName: plainText(limits.maxDisplayNameLength, 'displayName'),
        presence: presence.optional(),
        fields: fields.optional(),
        device: device.optional(),
        resumeToken: z.string().max(128).optional(),
      }),
      response: z.custom<JoinResponse>(),
    },
    leave: { data: empty, response: z.custom<Record<string, never>>() },
    chat: {
      data: z.strictObject({ text: plainText(limits.maxChatLength, 'text', true), to: peerId.optional() }),
      response: z.custom<{ message: ChatMessage }>(),
    },
    setPresence: { data: presence, response: z.custom<Record<string, never>>() },
    setDisplayName: {
      data: z.strictObject({ displayName: plainText(limits.maxDisplayNameLength, 'displayName') }),
      response: z.custom<Record<string, never>>(),
    },
    /** Merges into the peer's public fields; a null value removes that field. */
    setFields: { data: z.strictObject({ fields }), response: z.custom<{ fields: Fields }>() },
    offer: { data: z.strictObject({ to: peerId, description: description('offer') }), response: z.custom<Record<string, never>>() },
    answer: { data: z.strictObject({ to: peerId, description: description('answer') }), response: z.custom<Record<string, never>>() },
    candidate: { data: z.strictObject({ to: peerId, candidate }), response: z.custom<Record<string, never>>() },
    reject: { data: z.strictObject({ to: peerId, reason: z.string().max(256).optional() }), response: z.custom<Record<string, never>>() },
    /** Ends our link to `to`; reason 'reset:<nonce>' asks it to start a fresh link, answered by 'reset-ack:<nonce>' (docs/protocol.md). */
    hangup: { data: z.strictObject({ to: peerId, reason: z.string().max(64).optional() }), response: z.custom<Record<string, never>>() },
    getIceConfig: { data: empty, response: z.custom<IceConfig>() },
    getRoomList: { data: empty, response: z.custom<{ rooms: RoomSummary[] }>() },
    /** Custom application data to one peer or the whole room. */
    appMessage: {
      data: z.strictObject({ to: peerId.optional(), data: boundedJson(limits.maxAppMessageBytes, limits.maxJsonDepth, 'data') }),
      response: z.custom<Record<string, never>>(),
    },
    ping: { data: empty, response: z.custom<{ serverTime: number }>() },
  } as const;
}

export type RequestSchemas = ReturnType<typeof createRequestSchemas>;
export type RequestName = keyof RequestSchemas;
export type RequestData<M extends RequestName> = z.input<RequestSchemas[M]['data']>;
export type ValidRequestData<M extends RequestName> = z.output<RequestSchemas[M]['data']>;
export type ResponseOf<M extends RequestName> = z.output<RequestSchemas[M]['response']>;

/** Requests that relay WebRTC signaling to one peer of the same room. */
export const SIGNAL_METHODS = ['offer', 'answer', 'candidate', 'reject', 'hangup'] as const;
export type SignalMethod = (typeof SIGNAL_METHODS)[number];

// ---- Shapes the server sends ------------------------------------------------

export type PresenceShow = z.infer<typeof presenceShow>;
export interface Presence {
  show: PresenceShow;
  status?: string;
}
export type Fields = Record<string, unknown>;
export type ConnectionState = 'connected' | 'reconnecting';

export interface PeerInfo {
  id: string;
  displayName: string;
  presence: Presence;
  fields: Fields;
  device?: { browser?: string; os?: string; mobile?: boolean };
  /** Milliseconds since the epoch. */
  joinedAt: number;
  connection: ConnectionState;
}

export interface ChatMessage {
  id: string;
  /** Per-room sequence number, increasing. */
  seq: number;
  from: string;
  fromName: string;
  /** Set on private messages. */
  to?: string;
  text: string;
  /** Milliseconds since the epoch (server clock). */
  ts: number;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface IceConfig {
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
  /** When the TURN credentials expire (ms since the epoch); null when they do not. */
  expiresAt: number | null;
}

export interface RoomSummary {
  id: string;
  peerCount: number;
}

export interface JoinResponse {
  self: PeerInfo;
  peers: PeerInfo[];
  /** Recent public messages plus this peer's private ones, oldest first. */
  chat: ChatMessage[];
  iceConfig: IceConfig;
  limits: Limits;
  /** Present it in the next join of this peer id to resume this identity. */
  resumeToken: string;
  /** Milliseconds a dropped connection is kept as "reconnecting". */
  reconnectGraceMs: number;
  /** True when this join resumed an identity still in the room (no leave/join for the others). */
  resumed: boolean;
}

export type PeerLeftReason = 'left' | 'timedOut';

export type PeerUpdate = Partial<Pick<PeerInfo, 'displayName' | 'presence' | 'fields' | 'connection'>>;

export type ServerNotifications = {
  peerJoined: { peer: PeerInfo };
  peerLeft: { peerId: string; reason: PeerLeftReason };
  /** Only what changed for that one peer. */
  peerUpdated: { peerId: string; changes: PeerUpdate };
  chat: { message: ChatMessage };
  offer: { from: string; description: { type: 'offer'; sdp: string } };
  answer: { from: string; description: { type: 'answer'; sdp: string } };
  candidate: { from: string; candidate: RequestData<'candidate'>['candidate'] };
  reject: { from: string; reason?: string };
  hangup: { from: string; reason?: string };
  appMessage: { from: string; to?: string; data: unknown };
  /** To lobby connections (no room): the room list changed. */
  roomList: { rooms: RoomSummary[] };
  serverClosing: { reason: string };
};

// ---- protoo type parameters ---------------------------------------------------

/** What the browser sends. */
export type ClientSends = {
  requests: { [M in RequestName]: { data: RequestData<M>; response: ResponseOf<M> } };
  notifications: Record<never, never>;
};

/** What the server sends. */
export type ServerSends = {
  requests: Record<never, never>;
  notifications: ServerNotifications;
};
