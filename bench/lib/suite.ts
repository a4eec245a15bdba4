/**
 * runBench: every scenario against every server, repetitions interleaved
 * (rep 1: scenario 1 on confab, protoo, ws; scenario 2 on confab, protoo, ws; … rep 2: …),
 * and the servers' order turns by one each repetition (rep 2: protoo, ws, confab), so
 * that no server always runs first, right after another's child has exited.
 * By default each (scenario, server, rep) gets a fresh server child, so no run inherits
 * another's rooms, garbage or JIT state; the smoke test reuses one child per server.
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import type { ScenarioSpec } from '../config';
import { runFanout } from '../scenarios/fanout';
import { runIdle, runJoinStorm } from '../scenarios/joins';
import { runRelay } from '../scenarios/relay';
import { startServerProcess, type ServerKind, type ServerProcess } from './server-process';
import type { Counts, ScenarioContext, ScenarioOutcome } from './types';

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
  /** Where the server child wrote its --cpu-prof profiles (one per thread). */
  cpuProfileDir?: string;
}

function runScenario(spec: ScenarioSpec, ctx: ScenarioContext): Promise<ScenarioOutcome> {
  switch (spec.kind) {
    case 'fanout':
      return runFanout(ctx, spec.options);
    case 'relay':
      return runRelay(ctx, spec.options);
    case 'idle':
      return runIdle(ctx, spec.options);
    case 'join-storm':
      return runJoinStorm(ctx, spec.options);
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

  try {
    if (!fresh) {
      const started = await Promise.allSettled(options.servers.map(async (kind) => shared.set(kind, await start(kind, undefined))));
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
    for (let rep = 1; rep <= options.reps; rep++) {
      for (const spec of options.scenarios) {
        for (const kind of rotate(options.servers, rep - 1)) {
          const began = performance.now();
          const profiled = fresh && options.cpuProf?.servers.includes(kind);
          const profileDir = profiled ? path.join(options.cpuProf!.dir, `${spec.id}-${kind}-rep${rep}`) : undefined;
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
          let server: ServerProcess | undefined = shared.get(kind);
          try {
            server ??= await start(kind, profileDir);
            const ctx: ScenarioContext = { server, prefix: `s${++sequence}x`, log };
            const outcome = await withTimeout(runScenario(spec, ctx), runTimeoutMs, `${spec.id} on ${kind}`);
            Object.assign(record, outcome);
            if (profileDir) record.cpuProfileDir = profileDir;
          } catch (error) {
            record.error = error instanceof Error ? error.message : String(error);
          } finally {
            if (fresh && server) await server.close();
          }
          record.wallMs = performance.now() - began;
          records.push(record);
          log(describe(record));
        }
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

/** `items` turned left by `by` places: rotate([a, b, c], 1) is [b, c, a]. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
