import { describe, expect, it, vi } from 'vitest';
import { EnhancedEventEmitter } from './EnhancedEventEmitter';
import { Logger } from './Logger';

type Events = { tick: [n: number]; done: [] };

class Ticker extends EnhancedEventEmitter<Events> {
  constructor() {
    super(new Logger('Ticker'));
  }

  tick(n: number, onError?: (error: unknown) => void): boolean {
    return this.safeEmitReporting('tick', onError, n);
  }
}

describe('EnhancedEventEmitter', () => {
  it('calls listeners in order and reports whether anyone listened', () => {
    const ticker = new Ticker();
    expect(ticker.tick(0)).toBe(false);
    const seen: string[] = [];
    ticker.on('tick', (n) => seen.push(`a${n}`));
    ticker.on('tick', (n) => seen.push(`b${n}`));
    expect(ticker.tick(1)).toBe(true);
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('keeps calling the other listeners when one throws, and reports the error', () => {
    const ticker = new Ticker();
    const after = vi.fn();
    const onError = vi.fn();
    ticker.on('tick', () => {
      throw new Error('bad listener');
    });
    ticker.on('tick', after);
    expect(() => ticker.tick(1, onError)).not.toThrow();
    expect(after).toHaveBeenCalledWith(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'bad listener' }));
  });

  it('reports the rejection of an async listener', async () => {
    const ticker = new Ticker();
    const onError = vi.fn();
    ticker.on('tick', async () => {
      throw new Error('async bad');
    });
    ticker.tick(1, onError);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'async bad' })));
  });

  it('once() listens a single time; off() and removeAllListeners() remove', () => {
    const ticker = new Ticker();
    const once = vi.fn();
    const kept = vi.fn();
    ticker.once('tick', once);
    ticker.on('tick', kept);
    ticker.tick(1);
    ticker.tick(2);
    expect(once).toHaveBeenCalledTimes(1);
    ticker.off('tick', kept);
    ticker.tick(3);
    expect(kept).toHaveBeenCalledTimes(2);
    ticker.on('tick', kept);
    ticker.removeAllListeners();
    expect(ticker.listenerCount('tick')).toBe(0);
  });
});
