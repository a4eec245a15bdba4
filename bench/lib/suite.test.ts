import { describe, expect, it } from 'vitest';
import { rotate } from './suite';

describe('rotate', () => {
  it('turns the servers by one place per repetition, so each runs in every position', () => {
    const servers = ['confab', 'protoo', 'ws'];
    expect([0, 1, 2, 3].map((by) => rotate(servers, by))).toEqual([
      ['confab', 'protoo', 'ws'],
      ['protoo', 'ws', 'confab'],
      ['ws', 'confab', 'protoo'],
      ['confab', 'protoo', 'ws'],
    ]);
    expect(servers).toEqual(['confab', 'protoo', 'ws']);
    expect(rotate([], 2)).toEqual([]);
  });
});
