import { describe, expect, it } from 'vitest';
import { newResumeToken, Participant } from './Participant';

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
