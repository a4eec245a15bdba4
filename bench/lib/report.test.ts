import { describe, expect, it } from 'vitest';
import type { Target } from '../config';
import { evaluateTargets, markdown } from './report';
import type { ServerKind } from './server-process';
import type { RunRecord } from './suite';

function record(server: ServerKind, rep: number, cpuUsPerMsg: number, error?: string): RunRecord {
  return {
    scenario: 'fanout-rate',
    kind: 'fanout',
    server,
    rep,
    wallMs: 1,
    loadAverage: 0,
    metrics: { cpuUsPerMsg },
    counts: { expected: 1, received: 1, lost: 0, errors: 0 },
    problems: [],
    ...(error ? { error } : {}),
  };
}

const target: Target = { name: 'cpu', scenario: 'fanout-rate', metric: 'cpuUsPerMsg', reference: 'ws', maxRatio: 1.1 };

describe('evaluateTargets', () => {
  it('passes or fails on the medians and gives the ratio of each repetition', () => {
    const records = [record('confab', 0, 10), record('ws', 0, 10), record('confab', 1, 12), record('ws', 1, 10), record('confab', 2, 9), record('ws', 2, 10)];
    const [result] = evaluateTargets(records, [target]);
    expect(result!.ratio).toBeCloseTo(1);
    expect(result!.pass).toBe(true);
    expect(result!.perRepetition).toEqual({ min: 0.9, max: 1.2, within: 2, count: 3 });
  });

  it('pairs only repetitions where both servers ran without error', () => {
    const records = [record('confab', 0, 20), record('ws', 0, 10, 'crashed'), record('confab', 1, 11), record('ws', 1, 10), record('ws', 2, 10)];
    const [result] = evaluateTargets(records, [target]);
    expect(result!.perRepetition).toMatchObject({ count: 1, within: 1 });
    expect(result!.perRepetition!.min).toBeCloseTo(1.1);
  });

  it('has no spread when no repetition pairs up, and the report says so', () => {
    const [result] = evaluateTargets([record('confab', 0, 10)], [target]);
    expect(result!.pass).toBeUndefined();
    expect(result!.perRepetition).toBeUndefined();
    expect(markdown([], [result!], [], [], ['confab', 'ws'], 1)).toMatch(/\| n\/a \| – \| – \|/);
  });

  it('gives Confab over its twin when the twin ran, and the report a column for it', () => {
    const records = [record('confab', 1, 10), record('ws', 1, 10), record('twin', 1, 8), record('confab', 2, 12), record('ws', 2, 10), record('twin', 2, 12), record('confab', 3, 11), record('ws', 3, 10), record('twin', 3, 11)];
    const [result] = evaluateTargets(records, [target]);
    // Medians 11 and 11; per repetition 10/8, 12/12, 11/11.
    expect(result!.twin).toEqual({ ratio: 1, min: 1, max: 1.25, count: 3 });
    const report = markdown([], [result!], [], [], ['confab', 'ws', 'twin'], 3);
    expect(report).toContain('| confab/twin (noise) |');
    expect(report).toContain('| 1.00×, per repetition 1.00×–1.25× |');
    expect(evaluateTargets(records.filter((r) => r.server !== 'twin'), [target])[0]!.twin).toBeUndefined();
    expect(markdown([], evaluateTargets(records.filter((r) => r.server !== 'twin'), [target]), [], [], ['confab', 'ws'], 3)).not.toContain('twin');
  });

  it('pairs the slices that ran side by side, over every repetition', () => {
    const sliced = (server: ServerKind, rep: number, cpuUs: number[]): RunRecord => ({
      ...record(server, rep, 0),
      perSlice: { serverCpuUs: cpuUs, delivered: cpuUs.map(() => 10), p99Ms: cpuUs.map((us) => us / 100) },
    });
    const records = [sliced('confab', 1, [110, 100, 300]), sliced('ws', 1, [100, 100, 100]), sliced('confab', 2, [90, 120]), sliced('ws', 2, [100, 100])];
    const [result] = evaluateTargets(records, [target]);
    // Ratios 1.1, 1, 3, 0.9, 1.2: the one slow slice moves the median but little.
    expect(result!.perSlice).toEqual({ median: 1.1, q1: 1, q3: 1.2, count: 5 });
    expect(evaluateTargets(records, [{ ...target, metric: 'p99Ms' }])[0]!.perSlice).toEqual({ median: 1.1, q1: 1, q3: 1.2, count: 5 });
    expect(evaluateTargets(records, [{ ...target, metric: 'rssBytesPerPeer' }])[0]!.perSlice).toBeUndefined();
  });
});
