import { describe, expect, it } from 'vitest';
import type { ChildStats } from '../servers/child';
import { measureInSlices, newPhase, type Workload } from './phase';
import type { ServerProcess } from './server-process';

describe('measureInSlices', () => {
  /**
   * A workload that sends `perSlice` messages per slice (fewer when `max` says so), each
   * delivered twice with a latency of `latencyMs`, and a server whose CPU clock advances
   * `cpuPerMessageUs` per delivery. `calls` records every run: name, duration, max.
   */
  function workload(name: string, calls: string[], perSlice: number, latencyMs: number, cpuPerMessageUs: number): Workload {
    let cpuUs = 0;
    const stats = async (): Promise<ChildStats> =>
      ({ cpuUserUs: cpuUs, cpuSystemUs: 0, rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, monotonicUs: performance.now() * 1000 });
    const server = { kind: 'ws', port: 0, pid: 0, stats, close: async () => {} } satisfies ServerProcess;
    return {
      server,
      async run(durationMs, max, latencies) {
        calls.push(`${name} ${durationMs} ${max}`);
        const phase = newPhase(latencies);
        phase.sent = phase.acked = Math.min(perSlice, max);
        for (let i = 0; i < phase.sent * 2; i++) latencies.add(latencyMs);
        phase.delivered = phase.sent * 2;
        cpuUs += phase.delivered * cpuPerMessageUs;
        phase.lastDeliveryAt = phase.startedAt + durationMs;
        phase.active = false;
        return phase;
      },
      outcome: () => {
        throw new Error('not used');
      },
      close: () => {},
    };
  }

  it('takes turns slice by slice, the order turning each slice, and adds up each workload’s slices', async () => {
    const calls: string[] = [];
    const a = workload('a', calls, 10, 1, 5);
    const b = workload('b', calls, 10, 3, 7);
    const [measuredA, measuredB] = await measureInSlices([a, b], { warmupMs: 20, warmupMax: 100, durationMs: 25, max: 100 }, 10);
    expect(calls).toEqual([
      // warm-up: 20 ms in two slices
      'a 10 100', 'b 10 100',
      'b 10 90', 'a 10 90',
      // measured: 25 ms in three slices, the last one shorter
      'a 10 100', 'b 10 100',
      'b 10 90', 'a 10 90',
      'a 5 80', 'b 5 80',
    ]);
    expect(measuredA!.counts).toEqual({ sent: 30, acked: 30, errors: 0, delivered: 60, bad: 0 });
    expect(measuredA!.serverCpuUs).toBe(60 * 5);
    expect(measuredB!.serverCpuUs).toBe(60 * 7);
    expect(measuredA!.metrics).toMatchObject({ slices: 3, p99Ms: 1 });
    // Each slice's length is a difference of performance.now() readings, so exact only to rounding.
    expect(measuredA!.metrics.measuredMs).toBeCloseTo(25, 9);
    expect(measuredB!.perSlice).toEqual({ serverCpuUs: [140, 140, 140], delivered: [20, 20, 20], p99Ms: [3, 3, 3] });
    expect(measuredB!.metrics).toMatchObject({ slices: 3, p99Ms: 3 });
  });

  it('lets a workload that has sent its max sit out the slices left', async () => {
    const calls: string[] = [];
    const a = workload('a', calls, 4, 1, 1);
    const b = workload('b', calls, 10, 1, 1);
    const [measuredA, measuredB] = await measureInSlices([a, b], { warmupMs: 0, warmupMax: 0, durationMs: 40, max: 12 }, 10);
    expect(calls).toEqual(['a 10 12', 'b 10 12', 'b 10 2', 'a 10 8', 'a 10 4']);
    expect(measuredA!.counts.sent).toBe(12);
    expect(measuredB!.counts.sent).toBe(12);
    expect(measuredB!.metrics.slices).toBe(2);
  });

  it('refuses a slice that is not a positive length', async () => {
    await expect(measureInSlices([], { warmupMs: 0, warmupMax: 0, durationMs: 10, max: 1 }, 0)).rejects.toThrow(/sliceMs/);
  });
});
