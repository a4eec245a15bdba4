/**
 * Participant: one identity in a room. It outlives its signaling connection: when the
 * socket drops it stays, shown as "reconnecting", for the grace period; frames meant
 * for it meanwhile are kept (bounded) and replayed when the same identity resumes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Frame } from '../../lib/protoo/server';
import type { ChatMessage, ConnectionState, Fields, PeerInfo, Presence } from '../../lib/signaling/protocol';

export type { Frame };

/** What a participant needs from its connection. */
export interface ParticipantLink {
  sendFrame(frame: Frame): void;
  close(code: number, reason: string): void;
}

const MAX_MISSED_FRAMES = 500;

/**
 * The private messages a participant keeps for its resumes hold at most this many
 * characters in all: 8 of the longest by default, more short ones. With every connection
 * a participant that filled it, that is at most about as much as full public histories.
 */
export const PRIVATE_CHAT_MAX_CHARS = 16_000;

const TOKEN_BYTES = 24;
const TOKENS_PER_POOL = 128;
let tokenPool = Buffer.alloc(0);
let tokenOffset = 0;

/**
 * A fresh resume token: 24 random bytes, base64url. They come from a pool filled by
 * the CSPRNG 128 tokens at a time (as crypto.randomUUID does), not one call per join.
 */
export function newResumeToken(): string {
  if (tokenOffset + TOKEN_BYTES > tokenPool.length) {
    tokenPool = randomBytes(TOKEN_BYTES * TOKENS_PER_POOL);
    tokenOffset = 0;
  }
  const token = tokenPool.toString('base64url', tokenOffset, tokenOffset + TOKEN_BYTES);
  tokenOffset += TOKEN_BYTES;
  return token;
}
const MAX_MISSED_BYTES = 1024 * 1024;

export interface ParticipantInit {
  id: string;
  displayName: string;
  presence?: Presence;
  fields?: Fields;
  device?: PeerInfo['device'];
  joinedAt: number;
}

export class Participant {
  readonly id: string;
  readonly joinedAt: number;
  readonly device: PeerInfo['device'];
  readonly resumeToken = newResumeToken();
  displayName: string;
  presence: Presence;
  fields: Fields;
  /** The live connection; undefined while reconnecting. */
  link: ParticipantLink | undefined;
  /** Pending removal while reconnecting. */
  graceTimer: ReturnType<typeof setTimeout> | undefined;
  #missed: Frame[] = [];
  #missedBytes = 0;
  #missedOverflow = false;
  /** The last private messages sent or received, oldest first (none until the first). */
  #privateChat: ChatMessage[] | undefined;
  /** Their texts' length in all. */
  #privateChatChars = 0;

  constructor(init: ParticipantInit) {
    this.id = init.id;
    this.joinedAt = init.joinedAt;
    this.displayName = init.displayName;
    this.presence = init.presence ?? { show: 'chat' };
    this.fields = init.fields ? withoutNulls(init.fields) : {};
    this.device = init.device;
  }

  get connection(): ConnectionState {
    return this.link ? 'connected' : 'reconnecting';
  }

  info(): PeerInfo {
    const info: PeerInfo = {
      id: this.id,
      displayName: this.displayName,
      presence: this.presence,
      fields: this.fields,
      joinedAt: this.joinedAt,
      connection: this.connection,
    };
    if (this.device) info.device = this.device;
    return info;
  }

  /** Whether `token` is this participant's resume token (constant-time). */
  hasResumeToken(token: string | undefined): boolean {
    if (token === undefined) return false;
    const given = Buffer.from(token);
    const expected = Buffer.from(this.resumeToken);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Sends a serialized notification. While reconnecting, `replay` frames are kept
   * for the resume; the others are covered by the state sent on resume.
   */
  deliver(frame: Frame, replay: boolean): void {
    if (this.link) {
      this.link.sendFrame(frame);
      return;
    }
    if (!replay) return;
    this.#missed.push(frame);
    this.#missedBytes += frame.length;
    while (this.#missed.length > MAX_MISSED_FRAMES || this.#missedBytes > MAX_MISSED_BYTES) {
      this.#missedBytes -= this.#missed.shift()!.length;
      this.#missedOverflow = true;
    }
  }

  /** The frames missed while reconnecting (emptied), and whether some were dropped. */
  takeMissed(): { frames: Frame[]; overflow: boolean } {
    const result = { frames: this.#missed, overflow: this.#missedOverflow };
    this.#missed = [];
    this.#missedBytes = 0;
    this.#missedOverflow = false;
    return result;
  }

  /**
   * Keeps a private message this participant sent or received: the last `limit` of them,
   * and fewer when their texts pass PRIVATE_CHAT_MAX_CHARS (the newest is always kept).
   */
  keepPrivate(message: ChatMessage, limit: number): void {
    const kept = (this.#privateChat ??= []);
    kept.push(message);
    this.#privateChatChars += message.text.length;
    while (kept.length > limit || (kept.length > 1 && this.#privateChatChars > PRIVATE_CHAT_MAX_CHARS)) {
      this.#privateChatChars -= kept.shift()!.text.length;
    }
  }

  /**
   * The chat this participant is shown on joining: the room's public `history` and its own
   * private messages, by seq. A socket that died silently lost what was written into it
   * before the server knew: a resume brings those messages back, as a reload does.
   */
  chat(history: ChatMessage[]): ChatMessage[] {
    const kept = this.#privateChat;
    return kept ? [...history, ...kept].sort((a, b) => a.seq - b.seq) : history;
  }

  clearGraceTimer(): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }
}

/** Fields with null values removed (null means "remove this field"). */
export function withoutNulls(fields: Fields): Fields {
  const result: Fields = {};
  for (const [key, value] of Object.entries(fields)) if (value !== null) result[key] = value;
  return result;
}
