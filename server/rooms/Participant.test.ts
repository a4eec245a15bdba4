import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../lib/signaling/protocol';
import { newResumeToken, Participant, PRIVATE_CHAT_MAX_CHARS } from './Participant';

describe('resume tokens', () => {
  it('are 24 random bytes in base64url, never repeated across pool refills', () => {
    const tokens = Array.from({ length: 1000 }, () => newResumeToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("are each participant's own, checked exactly", () => {
    const a = new Participant({ id: 'a', displayName: 'A', joinedAt: 0 });
    const b = new Participant({ id: 'b', displayName: 'B', joinedAt: 0 });
    expect(a.resumeToken).not.toBe(b.resumeToken);
    expect(a.hasResumeToken(a.resumeToken)).toBe(true);
    expect(a.hasResumeToken(b.resumeToken)).toBe(false);
    expect(a.hasResumeToken(a.resumeToken.slice(1))).toBe(false);
    expect(a.hasResumeToken(undefined)).toBe(false);
  });
});

describe('private messages kept for resumes', () => {
  const message = (seq: number, to?: string): ChatMessage => ({ id: `m-${seq}`, seq, from: 'a', fromName: 'A', text: `#${seq}`, ts: 0, ...(to ? { to } : {}) });

  it('come with the public history, in seq order', () => {
    const a = new Participant({ id: 'a', displayName: 'A', joinedAt: 0 });
    const history = [message(1), message(4), message(5)];
    expect(a.chat(history)).toBe(history);
    for (const seq of [2, 3, 6]) a.keepPrivate(message(seq, 'b'), 10);
    expect(a.chat(history).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.chat([]).map((m) => m.seq)).toEqual([2, 3, 6]);
  });

  it('are the last `limit` of them', () => {
    const a = new Participant({ id: 'a', displayName: 'A', joinedAt: 0 });
    for (let seq = 1; seq <= 8; seq++) a.keepPrivate(message(seq, 'b'), 3);
    expect(a.chat([]).map((m) => m.seq)).toEqual([6, 7, 8]);
  });

  it(`hold at most ${PRIVATE_CHAT_MAX_CHARS} characters of text, but always the newest message`, () => {
    const a = new Participant({ id: 'a', displayName: 'A', joinedAt: 0 });
    const long = (seq: number, length: number): ChatMessage => ({ ...message(seq, 'b'), text: 'x'.repeat(length) });
    const quarter = PRIVATE_CHAT_MAX_CHARS / 4;
    for (let seq = 1; seq <= 6; seq++) a.keepPrivate(long(seq, quarter), 50);
    expect(a.chat([]).map((m) => m.seq)).toEqual([3, 4, 5, 6]);
    a.keepPrivate(long(7, 1), 50);
    expect(a.chat([]).map((m) => m.seq)).toEqual([4, 5, 6, 7]);
    a.keepPrivate(long(8, PRIVATE_CHAT_MAX_CHARS * 2), 50);
    expect(a.chat([]).map((m) => m.seq)).toEqual([8]);
    a.keepPrivate(long(9, 1), 50);
    expect(a.chat([]).map((m) => m.seq)).toEqual([9]);
  });
});
