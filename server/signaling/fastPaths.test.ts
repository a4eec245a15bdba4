import { describe, expect, it } from 'vitest';
import { createRequestSchemas, DEFAULT_LIMITS } from '../../lib/signaling/protocol';
import { fastPaths } from './fastPaths';

const limits = { ...DEFAULT_LIMITS, maxChatLength: 20 };
const schemas = createRequestSchemas(limits);

/** What the schema makes of `data`: its output, or undefined when it refuses it. */
function bySchema(data: unknown): unknown {
  const parsed = schemas.chat.data.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

describe('chat fast path', () => {
  const plain = [
    { text: 'hello' },
    { text: '  padded  ' },
    { text: 'two\nlines\tand a tab' },
    { text: 'x'.repeat(20) },
    { text: 'é€😀' },
    { text: 'a\u202eb\u0007c' },
    { text: 'hi', to: 'bob_1-2' },
    { to: 'bob', text: 'any key order' },
  ];
  const unusual: unknown[] = [
    null,
    undefined,
    'hello',
    42,
    [],
    ['hello'],
    {},
    { text: '' },
    { text: '   ' },
    { text: '\u0000\u0001' },
    { text: 'x'.repeat(21) },
    { text: 'x'.repeat(81) },
    { text: `${' '.repeat(30)}ok` },
    { text: 42 },
    { text: null },
    { text: 'hi', to: '' },
    { text: 'hi', to: 'not an id' },
    { text: 'hi', to: 'x'.repeat(65) },
    { text: 'hi', to: 7 },
    { text: 'hi', to: null },
    { text: 'hi', to: undefined },
    { text: 'hi', extra: 1 },
    JSON.parse('{"text":"hi","__proto__":{"to":"bob"}}'),
    Object.create({ text: 'inherited' }),
    Object.assign(Object.create({ extra: 1 }), { text: 'own' }),
  ];

  it('takes the plain requests, and makes of them exactly what the schema makes', () => {
    for (const data of plain) {
      const fast = fastPaths.chat!(data, limits);
      expect(fast, JSON.stringify(data)).toBeDefined();
      expect(fast).toEqual(bySchema(data));
    }
  });

  it('never takes what the schema refuses; anything it passes on gets the schema', () => {
    for (const data of unusual) {
      const fast = fastPaths.chat!(data, limits);
      if (fast !== undefined) expect(fast, String(JSON.stringify(data))).toEqual(bySchema(data));
      if (bySchema(data) === undefined) expect(fast, String(JSON.stringify(data))).toBeUndefined();
    }
  });
});
