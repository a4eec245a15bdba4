/**
 * The measured phase of a message scenario (fan-out, relay): what was sent, answered and
 * delivered, and the latencies; and the readings around it: the server's CPU (from its
 * own process) and the load generator's, over the time the deliveries took.
 *
 * A scenario opens a Workload on a server (peers joined, handlers set) and the phase is
 * run in one of two ways:
 * - alone (`measureAlone`): a warm-up, then one measured phase;
 * - in slices (`measureInSlices`), several servers at once: the warm-up and the measured
 *   phase are cut into short slices that take turns between the servers (the order
 *   turning each slice), and each server's slices are added up. Every server then meets
 *   the same minutes of the shared machine, so a slow spell of the host weighs on all of
 *   them instead of on whichever ran then.
 */
import { cpuDeltaUs, type ServerProcess } from './server-process';
import { rotate, Samples } from './stats';
import { countProblems, type Counts, type ScenarioOutcome, type SliceSeries } from './types';

export interface Phase {
  active: boolean;
  sent: number;
  acked: number;
  errors: number;
  delivered: number;
  bad: number;
  startedAt: number;
  lastDeliveryAt: number;
  latencies: LatencySink;
}

/** Where a phase's latencies (ms) go. */
export interface LatencySink {
  add(value: number): void;
}

/** A new phase whose latencies go to `latencies` (a measured phase's slices share one). */
export function newPhase(latencies: LatencySink): Phase {
  const now = performance.now();
  return { active: true, sent: 0, acked: 0, errors: 0, delivered: 0, bad: 0, startedAt: now, lastDeliveryAt: now, latencies };
}

/** A message scenario's traffic on one server, its peers joined: ready to run phases. */
export interface Workload {
  server: ServerProcess;
  /**
   * Sends for `durationMs` (at most `max` messages), then waits until everything sent is
   * answered and delivered.
   */
  run(durationMs: number, max: number, latencies: LatencySink): Promise<Phase>;
  /** The scenario's outcome from its measured phase. */
  outcome(measured: MeasuredPhase): ScenarioOutcome;
  close(): void;
}

export interface PhasePlan {
  warmupMs: number;
  warmupMax: number;
  durationMs: number;
  max: number;
}

export type PhaseCounts = Pick<Phase, 'sent' | 'acked' | 'errors' | 'delivered' | 'bad'>;

export interface MeasuredPhase {
  /** What the measured phase sent, answered and delivered (all its slices together). */
  counts: PhaseCounts;
  /** The server's CPU time (user + system) during the phase. */
  serverCpuUs: number;
  /** The metrics every message scenario reports. */
  metrics: { p50Ms: number; p99Ms: number; serverCpuPct: number; serverSysPct: number; measuredMs: number; generatorCpuPct: number; slices: number };
  /** The phase on the server's monotonic clock (µs), from its first slice to its last. */
  measuredWindowUs: [number, number];
  /** Each slice's server CPU and deliveries (one entry when run alone). */
  perSlice: SliceSeries;
}

/** One stretch of measured traffic and the CPU readings around it. */
interface Reading {
  phase: Phase;
  serverCpuUs: number;
  serverSysUs: number;
  generatorCpuUs: number;
  windowUs: [number, number];
  /** The reading's own delivery p99 (ms). */
  p99Ms: number;
}

const WARMUP_SAMPLES = 10_000;
const MEASURED_SAMPLES = 1_000_000;

/** Latencies of one slice, besides the measured phase's: a slice holds at most a second or so. */
const SLICE_SAMPLES = 50_000;

async function read(workload: Workload, durationMs: number, max: number, latencies: Samples): Promise<Reading> {
  const own = new Samples(SLICE_SAMPLES);
  const both: LatencySink = {
    add(value) {
      latencies.add(value);
      own.add(value);
    },
  };
  const before = await workload.server.stats();
  const generatorBefore = process.cpuUsage();
  const phase = await workload.run(durationMs, max, both);
  const generatorCpu = process.cpuUsage(generatorBefore);
  const after = await workload.server.stats();
  return {
    phase,
    serverCpuUs: cpuDeltaUs(before, after),
    serverSysUs: after.cpuSystemUs - before.cpuSystemUs,
    generatorCpuUs: generatorCpu.user + generatorCpu.system,
    windowUs: [before.monotonicUs, after.monotonicUs],
    p99Ms: own.percentiles(99)[0]!,
  };
}

/** Adds up the readings of one server's measured phase (one, or one per slice). */
function combine(readings: Reading[], latencies: Samples): MeasuredPhase {
  const counts: PhaseCounts = { sent: 0, acked: 0, errors: 0, delivered: 0, bad: 0 };
  let serverCpuUs = 0;
  let serverSysUs = 0;
  let generatorCpuUs = 0;
  let measuredMs = 0;
  for (const { phase, ...reading } of readings) {
    counts.sent += phase.sent;
    counts.acked += phase.acked;
    counts.errors += phase.errors;
    counts.delivered += phase.delivered;
    counts.bad += phase.bad;
    serverCpuUs += reading.serverCpuUs;
    serverSysUs += reading.serverSysUs;
    generatorCpuUs += reading.generatorCpuUs;
    measuredMs += phase.lastDeliveryAt - phase.startedAt;
  }
  const seconds = measuredMs / 1000;
  /** µs of CPU over the phase as % of one core. */
  const percent = (us: number): number => (seconds > 0 ? us / 1e4 / seconds : Number.NaN);
  const [p50, p99] = latencies.percentiles(50, 99);
  return {
    counts,
    serverCpuUs,
    metrics: {
      p50Ms: p50!,
      p99Ms: p99!,
      serverCpuPct: percent(serverCpuUs),
      // Kernel time: system calls, and on loopback the TCP work of every write.
      serverSysPct: percent(serverSysUs),
      measuredMs,
      generatorCpuPct: percent(generatorCpuUs),
      slices: readings.length,
    },
    measuredWindowUs: [readings[0]?.windowUs[0] ?? Number.NaN, readings.at(-1)?.windowUs[1] ?? Number.NaN],
    perSlice: {
      serverCpuUs: readings.map((reading) => reading.serverCpuUs),
      delivered: readings.map((reading) => reading.phase.delivered),
      p99Ms: readings.map((reading) => reading.p99Ms),
    },
  };
}

/**
 * A message scenario's outcome: its own metrics, then the ones every measured phase
 * has (latency, CPU, duration, slices), its counts and problems (`what` names what was
 * counted), the window and the slices.
 */
export function phaseOutcome(measured: MeasuredPhase, own: Record<string, number>, what: string, counts: Counts, problems: string[]): ScenarioOutcome {
  return {
    metrics: { ...own, ...measured.metrics },
    counts,
    problems: [...problems, ...countProblems(what, counts)],
    measuredWindowUs: measured.measuredWindowUs,
    perSlice: measured.metrics.slices > 1 ? measured.perSlice : undefined,
  };
}

/** Warm-up, then one measured phase. */
export async function measureAlone(workload: Workload, plan: PhasePlan): Promise<MeasuredPhase> {
  await workload.run(plan.warmupMs, plan.warmupMax, new Samples(WARMUP_SAMPLES));
  const latencies = new Samples(MEASURED_SAMPLES);
  return combine([await read(workload, plan.durationMs, plan.max, latencies)], latencies);
}

/**
 * The warm-up and the measured phase of every workload, cut into slices of `sliceMs`
 * that take turns: slice k runs the workloads in their order turned by k. A workload
 * that has sent its `max` sits out the slices left. Returns each workload's phase, in
 * the workloads' order.
 */
export async function measureInSlices(workloads: readonly Workload[], plan: PhasePlan, sliceMs: number): Promise<MeasuredPhase[]> {
  if (!(sliceMs > 0)) throw new RangeError(`sliceMs must be positive, got ${sliceMs}`);
  const order = workloads.map((_, index) => index);
  const runSlices = async (totalMs: number, max: number, slice: (index: number, durationMs: number, left: number) => Promise<number>): Promise<void> => {
    const sent = workloads.map(() => 0);
    for (let k = 0; k * sliceMs < totalMs; k++) {
      const durationMs = Math.min(sliceMs, totalMs - k * sliceMs);
      for (const index of rotate(order, k)) {
        if (sent[index]! < max) sent[index]! += await slice(index, durationMs, max - sent[index]!);
      }
    }
  };

  const warmup = workloads.map(() => new Samples(WARMUP_SAMPLES));
  await runSlices(plan.warmupMs, plan.warmupMax, async (index, durationMs, left) => (await workloads[index]!.run(durationMs, left, warmup[index]!)).sent);

  const latencies = workloads.map(() => new Samples(MEASURED_SAMPLES));
  const readings: Reading[][] = workloads.map(() => []);
  await runSlices(plan.durationMs, plan.max, async (index, durationMs, left) => {
    const reading = await read(workloads[index]!, durationMs, left, latencies[index]!);
    readings[index]!.push(reading);
    return reading.phase.sent;
  });
  return workloads.map((_, index) => combine(readings[index]!, latencies[index]!));
}
