import { describe, expect, it } from 'vitest';
import { createRequestSchemas, DEFAULT_LIMITS } from '../../lib/signaling/protocol';
import { fastPaths } from './fastPaths';

const limits = { ...DEFAULT_LIMITS, maxChatLength: 20, maxDisplayNameLength: 10, maxStatusLength: 8, maxFieldsBytes: 100, maxJsonDepth: 4 };
const schemas = createRequestSchemas(limits);

/** What the schema makes of `data`: its output, or undefined when it refuses it. */
function bySchema(method: 'chat' | 'join', data: unknown): unknown {
  const parsed = schemas[method].data.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** Checks the fast path of `method` against its schema on plain and unusual data. */
function holdsToSchema(method: 'chat' | 'join', plain: unknown[], unusual: unknown[]): void {
  const fastPath = fastPaths[method]!;

  it('takes the plain requests, and makes of them exactly what the schema makes', () => {
    for (const data of plain) {
      const fast = fastPath(data, limits);
      expect(fast, JSON.stringify(data)).toBeDefined();
      expect(fast).toEqual(bySchema(method, data));
    }
  });

  it('never takes what the schema refuses; anything it passes on gets the schema', () => {
    for (const data of unusual) {
      const fast = fastPath(data, limits);
      if (fast !== undefined) expect(fast, String(JSON.stringify(data))).toEqual(bySchema(method, data));
      if (bySchema(method, data) === undefined) expect(fast, String(JSON.stringify(data))).toBeUndefined();
    }
  });
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

  holdsToSchema('chat', plain, unusual);
});

describe('join fast path', () => {
  const app = { displayName: 'Ada', presence: { show: 'chat' }, fields: { muted: false, video: true }, device: { browser: 'Chrome', os: 'Linux', mobile: false } };
  const plain = [
    { displayName: 'Ada' },
    { displayName: '  Ada\tL.  ' },
    { displayName: 'x'.repeat(10) },
    { displayName: 'é😀\u202e' },
    app,
    { ...app, resumeToken: 'A'.repeat(32) },
    { displayName: 'Ada', presence: { show: 'away', status: ' brb ' } },
    { displayName: 'Ada', presence: { show: 'xa' } },
    { displayName: 'Ada', fields: {} },
    { displayName: 'Ada', fields: { nested: { list: [1, 'two', null] } } },
    { displayName: 'Ada', device: {} },
    { displayName: 'Ada', device: { mobile: true } },
    { resumeToken: '', device: { os: '' }, displayName: 'any order' },
  ];
  const unusual: unknown[] = [
    null,
    undefined,
    'Ada',
    [],
    {},
    { displayName: '' },
    { displayName: ' \u0000 ' },
    { displayName: 'x'.repeat(11) },
    { displayName: 'x'.repeat(41) },
    { displayName: 7 },
    { displayName: 'Ada', extra: 1 },
    { displayName: 'Ada', presence: undefined },
    { displayName: 'Ada', presence: null },
    { displayName: 'Ada', presence: {} },
    { displayName: 'Ada', presence: { show: 'busy' } },
    { displayName: 'Ada', presence: { show: 'away', status: '' } },
    { displayName: 'Ada', presence: { show: 'away', status: 'x'.repeat(9) } },
    { displayName: 'Ada', presence: { show: 'away', status: 3 } },
    { displayName: 'Ada', presence: { show: 'away', mood: 'ok' } },
    { displayName: 'Ada', fields: null },
    { displayName: 'Ada', fields: [] },
    { displayName: 'Ada', fields: { ['k'.repeat(65)]: 1 } },
    { displayName: 'Ada', fields: { big: 'x'.repeat(100) } },
    { displayName: 'Ada', fields: { deep: { deeper: { deepest: { x: 1 } } } } },
    { displayName: 'Ada', fields: { n: Number.NaN } },
    { displayName: 'Ada', fields: { f: () => 1 } },
    { displayName: 'Ada', fields: JSON.parse('{"__proto__":{"admin":true}}') },
    { displayName: 'Ada', device: { browser: 'x'.repeat(33) } },
    { displayName: 'Ada', device: { mobile: 'yes' } },
    { displayName: 'Ada', device: { gpu: 'fast' } },
    { displayName: 'Ada', device: null },
    { displayName: 'Ada', resumeToken: 'x'.repeat(129) },
    { displayName: 'Ada', resumeToken: 12 },
    JSON.parse('{"displayName":"Ada","__proto__":{"resumeToken":"t"}}'),
    Object.create({ displayName: 'inherited' }),
    Object.assign(Object.create({ extra: 1 }), { displayName: 'own' }),
  ];

  holdsToSchema('join', plain, unusual);
});
