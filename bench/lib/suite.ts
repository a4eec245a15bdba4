/**
 * runBench: every scenario against every server, repetitions interleaved
 * (rep 1: scenario 1 on confab, protoo, ws; scenario 2 on confab, protoo, ws; … rep 2: …),
 * and the servers' order turns by one each repetition (rep 2: protoo, ws, confab), so
 * that no server always runs first, right after another's child has exited.
 * A message scenario with `sliceMs` runs on all the servers at once instead, its phases
 * in slices that take turns between them (measureInSlices in phase.ts), and a join storm
 * with `batch` likewise in batches of joins (runJoinStormInTurns), when every server's
 * peers fit in the open-file limit at once.
 * By default each (scenario, server, rep) gets a fresh server child, so no run inherits
 * another's rooms, garbage or JIT state; the smoke test reuses one child per server.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { ScenarioSpec } from '../config';
import { fanoutPlan, openFanout } from '../scenarios/fanout';
import { runIdle, runJoinStorm, runJoinStormInTurns } from '../scenarios/joins';
import { openRelay, relayPlan } from '../scenarios/relay';
import { measureAlone, measureInSlices, type PhasePlan, type Workload } from './phase';
import { startServerProcess, type ServerKind, type ServerProcess } from './server-process';
import { rotate } from './stats';
import type { Counts, ScenarioContext, ScenarioOutcome, SliceSeries } from './types';

export interface BenchOptions {
  scenarios: ScenarioSpec[];
  servers: ServerKind[];
  reps: number;
  /** Core for the server children (taskset), when set. */
  serverCore?: number;
  /** A fresh server child for every run (default) or one per server for everything. */
  freshServers?: boolean;
  /** Write --cpu-prof profiles of these servers' children into `dir`. */
  cpuProf?: { dir: string; servers: ServerKind[] };
  /** Upper bound for one run (scenario on one server), ms. */
  runTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface RunRecord {
  scenario: string;
  kind: ScenarioSpec['kind'];
  server: ServerKind;
  rep: number;
  wallMs: number;
  /** os.loadavg()[0] when the run started: other load on the machine. */
  loadAverage: number;
  metrics: Record<string, number>;
  counts: Counts;
  problems: string[];
  /** Set when the run failed outright. */
  error?: string;
  measuredWindowUs?: [number, number];
  perSlice?: SliceSeries;
  /** Where the server child wrote its --cpu-prof profiles (one per thread). */
  cpuProfileDir?: string;
}

type MessageSpec = Extract<ScenarioSpec, { kind: 'fanout' | 'relay' }>;

function isSliced(spec: ScenarioSpec): spec is MessageSpec & { sliceMs: number } {
  return (spec.kind === 'fanout' || spec.kind === 'relay') && spec.sliceMs !== undefined;
}

type TurnsSpec = (MessageSpec & { sliceMs: number }) | Extract<ScenarioSpec, { kind: 'join-storm' }> & { batch: number };

/** Specs that run on every server at once, taking turns (slices of time, or batches of joins). */
function takesTurns(spec: ScenarioSpec): spec is TurnsSpec {
  return isSliced(spec) || (spec.kind === 'join-storm' && spec.batch !== undefined);
}

/** Sockets the load generator holds at once when a spec takes turns on `servers` servers. */
function socketsInTurns(spec: TurnsSpec, servers: number): number {
  if (spec.kind === 'join-storm') return servers * (spec.options.peers + spec.options.warmupPeers);
  return servers * (spec.kind === 'fanout' ? spec.options.rooms * spec.options.peersPerRoom : spec.options.pairs * 2);
}

/** This process's limit on open files (`ulimit -n`); Infinity when unlimited or unknown. */
let openFiles: number | undefined;
function openFileLimit(): number {
  if (openFiles === undefined) {
    const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout?.trim();
    openFiles = out && /^\d+$/.test(out) ? Number(out) : Number.POSITIVE_INFINITY;
  }
  return openFiles;
}

/** Head room for what else is open: server pipes, the HTTP agent, files. */
const OTHER_FILES = 1000;

/** A spec that takes turns on every server, or one after another when they would not all fit in the open-file limit. */
async function runInTurns(spec: TurnsSpec, ctxs: ScenarioContext[], log: (message: string) => void): Promise<ScenarioOutcome[]> {
  const sockets = socketsInTurns(spec, ctxs.length);
  if (sockets + OTHER_FILES > openFileLimit()) {
    log(`${spec.id}: taking turns needs ${sockets} sockets open at once, over the open-file limit (ulimit -n ${openFileLimit()}): one server after another instead`);
    const outcomes: ScenarioOutcome[] = [];
    for (const ctx of ctxs) outcomes.push(await runScenario(spec, ctx));
    return outcomes;
  }
  return spec.kind === 'join-storm' ? runJoinStormInTurns(ctxs, spec.options, spec.batch) : runScenarioInSlices(spec, ctxs);
}

function openWorkload(spec: MessageSpec, ctx: ScenarioContext): Promise<Workload> {
  return spec.kind === 'fanout' ? openFanout(ctx, spec.options) : openRelay(ctx, spec.options);
}

function planOf(spec: MessageSpec): PhasePlan {
  return spec.kind === 'fanout' ? fanoutPlan(spec.options) : relayPlan(spec.options);
}

async function runScenario(spec: ScenarioSpec, ctx: ScenarioContext): Promise<ScenarioOutcome> {
  switch (spec.kind) {
    case 'idle':
      return runIdle(ctx, spec.options);
    case 'join-storm':
      return runJoinStorm(ctx, spec.options);
    default: {
      const workload = await openWorkload(spec, ctx);
      try {
        return workload.outcome(await measureAlone(workload, planOf(spec)));
      } finally {
        workload.close();
      }
    }
  }
}

/**
 * A message scenario on several servers at once, its phases in slices that take turns
 * (measureInSlices): every server's peers are joined first, one server after another.
 */
async function runScenarioInSlices(spec: MessageSpec & { sliceMs: number }, ctxs: ScenarioContext[]): Promise<ScenarioOutcome[]> {
  const workloads: Workload[] = [];
  try {
    for (const ctx of ctxs) workloads.push(await openWorkload(spec, ctx));
    const measured = await measureInSlices(workloads, planOf(spec), spec.sliceMs);
    return workloads.map((workload, index) => workload.outcome(measured[index]!));
  } finally {
    for (const workload of workloads) workload.close();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runBench(options: BenchOptions): Promise<RunRecord[]> {
  const log = options.log ?? (() => {});
  const fresh = options.freshServers ?? true;
  const runTimeoutMs = options.runTimeoutMs ?? 300_000;
  const records: RunRecord[] = [];
  const shared = new Map<ServerKind, ServerProcess>();
  let sequence = 0;

  const start = (kind: ServerKind, profileDir: string | undefined): Promise<ServerProcess> =>
    startServerProcess(kind, { core: options.serverCore, cpuProfDir: profileDir });

  /**
   * One repetition of `spec` on each of `kinds`: on one server, or on several at once
   * taking turns (runInTurns).
   */
  const runRep = async (spec: ScenarioSpec, kinds: ServerKind[], rep: number): Promise<void> => {
    const began = performance.now();
    const runs = kinds.map((kind) => {
      const profiled = fresh && options.cpuProf?.servers.includes(kind);
      const record: RunRecord = {
        scenario: spec.id,
        kind: spec.kind,
        server: kind,
        rep,
        wallMs: 0,
        loadAverage: loadavg()[0]!,
        metrics: {},
        counts: { expected: 0, received: 0, lost: 0, errors: 0 },
        problems: [],
      };
      return { kind, record, profileDir: profiled ? path.join(options.cpuProf!.dir, `${spec.id}-${kind}-rep${rep}`) : undefined };
    });
    const servers: ServerProcess[] = [];
    try {
      for (const run of runs) servers.push(shared.get(run.kind) ?? (await start(run.kind, run.profileDir)));
      const ctxs = servers.map((server): ScenarioContext => ({ server, prefix: `s${++sequence}x`, log }));
      const what = `${spec.id} on ${kinds.join(', ')}`;
      const outcomes = await withTimeout(ctxs.length > 1 && takesTurns(spec) ? runInTurns(spec, ctxs, log) : runScenario(spec, ctxs[0]!).then((outcome) => [outcome]), runTimeoutMs * kinds.length, what);
      runs.forEach((run, index) => {
        Object.assign(run.record, outcomes[index]);
        if (run.profileDir) run.record.cpuProfileDir = run.profileDir;
      });
    } catch (error) {
      for (const run of runs) run.record.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (fresh) await Promise.all(servers.map((server) => server.close()));
    }
    for (const run of runs) {
      run.record.wallMs = performance.now() - began;
      records.push(run.record);
      log(describe(run.record));
    }
  };

  try {
    if (!fresh) {
      const started = await Promise.allSettled(options.servers.map(async (kind) => shared.set(kind, await start(kind, undefined))));
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
    for (let rep = 1; rep <= options.reps; rep++) {
      for (const spec of options.scenarios) {
        const kinds = rotate(options.servers, rep - 1);
        if (takesTurns(spec)) await runRep(spec, kinds, rep);
        else for (const kind of kinds) await runRep(spec, [kind], rep);
      }
    }
  } finally {
    await Promise.all([...shared.values()].map((server) => server.close()));
  }
  return records;
}

function describe(record: RunRecord): string {
  const head = `rep ${record.rep} ${record.scenario} on ${record.server} (${(record.wallMs / 1000).toFixed(1)} s, load ${record.loadAverage.toFixed(1)})`;
  if (record.error) return `${head}: FAILED: ${record.error}`;
  const metrics = Object.entries(record.metrics)
    .map(([name, value]) => `${name}=${Number.isInteger(value) ? value : value.toPrecision(4)}`)
    .join(' ');
  const problems = record.problems.length > 0 ? ` PROBLEMS: ${record.problems.join('; ')}` : '';
  return `${head}: ${metrics}${problems}`;
}
