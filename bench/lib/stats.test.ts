import { describe, expect, it } from 'vitest';
import { mean, median, percentile, rotate, Samples } from './stats';

describe('stats', () => {
  it('median ignores values that are not finite', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, Number.NaN, 1])).toBe(3);
    expect(median([])).toBeNaN();
  });

  it('percentile is nearest-rank, whatever the input order', () => {
    const values = [50, 10, 40, 20, 30];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 90)).toBe(50);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile([], 50)).toBeNaN();
  });

  it('mean of nothing is NaN', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([])).toBeNaN();
  });

  it('Samples gives the same percentiles as percentile() until it is full', () => {
    const samples = new Samples(100);
    const values = Array.from({ length: 100 }, (_, i) => (i * 37) % 101);
    for (const value of values) samples.add(value);
    expect(samples.percentiles(50, 99)).toEqual([percentile(values, 50), percentile(values, 99)]);
    for (let i = 0; i < 1000; i++) samples.add(1);
    expect(samples.count).toBe(1100);
    expect(samples.percentiles(50)).toEqual([1]);
  });
});

describe('Samples.addFrom', () => {
  it('adds everything another sample holds', () => {
    const a = new Samples(10);
    const b = new Samples(10);
    for (const value of [1, 2, 3]) a.add(value);
    for (const value of [10, 20]) b.add(value);
    a.addFrom(b);
    expect(a.count).toBe(5);
    expect(a.percentiles(0, 100)).toEqual([1, 20]);
  });
});

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
