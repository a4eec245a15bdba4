import { describe, expect, it } from 'vitest';
import { isValidId } from '../signaling/protocol';
import { randomRoomName, roomIdFromInput } from './roomNames';

describe('randomRoomName()', () => {
  it('makes readable, valid ids', () => {
    for (let i = 0; i < 50; i++) {
      const name = randomRoomName();
      expect(name).toMatch(/^[a-z]+-[a-z]+-\d{2}$/);
      expect(isValidId(name)).toBe(true);
    }
    expect(randomRoomName(() => 0)).toBe('amber-badger-10');
  });
});

describe('roomIdFromInput()', () => {
  it.each([
    ['calm-otter-42', 'calm-otter-42'],
    ['  calm-otter-42 ', 'calm-otter-42'],
    ['https://confab.example/r/calm-otter-42', 'calm-otter-42'],
    ['http://localhost:3000/r/Team_1?x=1#y', 'Team_1'],
    ['confab.example/r/abc', 'abc'],
  ])('reads %s', (input, id) => expect(roomIdFromInput(input, isValidId)).toBe(id));

  it.each(['', 'has space', 'https://x/r/', 'https://x/r/%E0%A4%A', 'https://x/r/bad*id', 'x'.repeat(65)])('refuses %s', (input) => {
    expect(roomIdFromInput(input, isValidId)).toBeUndefined();
  });
});
