/**
 * A measured phase of a message scenario (fan-out, relay): what was sent, answered and
 * delivered, and the latencies; and the readings around it: the server's CPU (from its
 * own process) and the load generator's, over the time the deliveries took.
 */
import { cpuDeltaUs, type ServerProcess } from './server-process';
import { Samples } from './stats';

export interface Phase {
  active: boolean;
  sent: number;
  acked: number;
  errors: number;
  delivered: number;
  bad: number;
  startedAt: number;
  lastDeliveryAt: number;
  latencies: Samples;
}

export function newPhase(capacity: number): Phase {
  const now = performance.now();
  return { active: true, sent: 0, acked: 0, errors: 0, delivered: 0, bad: 0, startedAt: now, lastDeliveryAt: now, latencies: new Samples(capacity) };
}

export interface MeasuredPhase {
  phase: Phase;
  /** The server's CPU time (user + system) during the phase. */
  serverCpuUs: number;
  /** The metrics every message scenario reports. */
  metrics: { p50Ms: number; p99Ms: number; serverCpuPct: number; serverSysPct: number; measuredMs: number; generatorCpuPct: number };
  /** The phase on the server's monotonic clock (µs). */
  measuredWindowUs: [number, number];
}

/** Runs `run` between two readings of the server's and this process's CPU. */
export async function measurePhase(server: ServerProcess, run: () => Promise<Phase>): Promise<MeasuredPhase> {
  const before = await server.stats();
  const generatorBefore = process.cpuUsage();
  const phase = await run();
  const generatorCpu = process.cpuUsage(generatorBefore);
  const after = await server.stats();
  const seconds = (phase.lastDeliveryAt - phase.startedAt) / 1000;
  /** µs of CPU over the phase as % of one core. */
  const percent = (us: number): number => (seconds > 0 ? us / 1e4 / seconds : Number.NaN);
  const [p50, p99] = phase.latencies.percentiles(50, 99);
  const serverCpuUs = cpuDeltaUs(before, after);
  return {
    phase,
    serverCpuUs,
    metrics: {
      p50Ms: p50!,
      p99Ms: p99!,
      serverCpuPct: percent(serverCpuUs),
      // Kernel time: system calls, and on loopback the TCP work of every write.
      serverSysPct: percent(after.cpuSystemUs - before.cpuSystemUs),
      measuredMs: seconds * 1000,
      generatorCpuPct: percent(generatorCpu.user + generatorCpu.system),
    },
    measuredWindowUs: [before.monotonicUs, after.monotonicUs],
  };
}
