import { describe, expect, it } from 'vitest';
import { jsonProblem, utf8Length } from './json';

describe('utf8Length()', () => {
  it('counts UTF-8 bytes like Buffer.byteLength', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a😀b€é', '\ud800']) expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });
});

describe('jsonProblem()', () => {
  it('accepts small plain JSON', () => {
    expect(jsonProblem({ muted: true, list: [1, 'two', null], nested: { a: { b: 1 } } }, 8, 1000)).toBeUndefined();
  });

  it('refuses nesting beyond the limit, even 200,000 levels deep, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    expect(jsonProblem(deep, 8, 1_000_000)).toMatch(/nested deeper than 8/);
    expect(jsonProblem([[[[1]]]], 3, 1000)).toMatch(/deeper/);
  });

  it('refuses payloads over the size limit', () => {
    expect(jsonProblem({ text: 'x'.repeat(2000) }, 8, 1024)).toMatch(/larger than 1024 bytes/);
    expect(jsonProblem(new Array(5000).fill(0), 8, 1024)).toMatch(/larger/);
  });

  it('refuses values that are not JSON', () => {
    expect(jsonProblem({ n: Number.NaN }, 8, 100)).toMatch(/finite/);
    expect(jsonProblem({ f: () => 1 }, 8, 100)).toMatch(/not JSON/);
  });
});
