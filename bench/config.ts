/**
 * The benchmark's scenarios and sizes (full and smoke) and the targets Confab is
 * measured against. bench/README.md explains each.
 */
import type { ServerKind } from './lib/server-process';
import type { FanoutOptions } from './scenarios/fanout';
import type { JoinsOptions } from './scenarios/joins';
import type { RelayOptions } from './scenarios/relay';

export type ScenarioSpec =
  /** sliceMs: run on every server at once, phases cut into slices that take turns (bench/lib/phase.ts). */
  | { id: string; kind: 'fanout'; options: FanoutOptions; sliceMs?: number }
  | { id: string; kind: 'relay'; options: RelayOptions; sliceMs?: number }
  | { id: string; kind: 'idle'; options: JoinsOptions }
  /** batch: run on every server at once, the measured joins in batches of this many that take turns. */
  | { id: string; kind: 'join-storm'; options: JoinsOptions; batch?: number };

export type ScenarioKind = ScenarioSpec['kind'];

/**
 * The message scenarios run on all the servers at once, in slices of this length that
 * take turns: each server meets the same minutes of the shared machine.
 */
const SLICE_MS = 1000;

export function fullScenarios(): ScenarioSpec[] {
  const fanout: FanoutOptions = {
    rooms: 25,
    peersPerRoom: 8,
    mode: 'closed',
    window: 2,
    rate: 0,
    textLength: 100,
    warmupMs: 1500,
    warmupMaxMessages: 1_000_000,
    durationMs: 5000,
    maxMessages: 1_000_000,
    drainTimeoutMs: 15_000,
    joinConcurrency: 50,
  };
  const joins = (peers: number, roomSize: number, concurrency: number, warmupPeers: number): JoinsOptions => ({
    peers,
    roomSize,
    concurrency,
    warmupPeers,
    deadlineMs: 120_000,
    drainTimeoutMs: 15_000,
  });
  return [
    { id: 'fanout', kind: 'fanout', options: fanout, sliceMs: SLICE_MS },
    // At the fixed rate p99 is the slowest 1 %, set by a few bursts of late deliveries: after
    // a short warm-up many fell in the measured phase's first second, while V8 was still
    // compiling the servers' hot code on the server's own core (Confab's, the larger, until
    // about 5,500 chats in), and 5 s held only about ten bursts. So: the steady state, after
    // 10 s (8,600 chats), measured longer (docs/performance.md, "The fixed rate: what is left").
    { id: 'fanout-rate', kind: 'fanout', options: { ...fanout, mode: 'rate', rate: 6000, warmupMs: 10_000, durationMs: 15_000 }, sliceMs: SLICE_MS },
    {
      id: 'relay',
      kind: 'relay',
      sliceMs: SLICE_MS,
      options: {
        pairs: 100,
        window: 2,
        sdpBytes: 4000,
        candidateBytes: 300,
        warmupMs: 1500,
        warmupMaxRelays: 1_000_000,
        durationMs: 5000,
        maxRelays: 1_000_000,
        drainTimeoutMs: 15_000,
        joinConcurrency: 50,
      },
    },
    { id: 'idle-2000', kind: 'idle', options: joins(2000, 4, 200, 100) },
    { id: 'idle-5000', kind: 'idle', options: joins(5000, 4, 200, 100) },
    // 6,000 joins: a shorter storm (2,000 take about a second) is too noisy to compare CPU.
    // Taking turns, every server's peers stay open until the end: 3 × 5,500 sockets in the
    // load generator, inside the usual open-file limit of 20,000 (6,000 each would not be).
    { id: 'join-storm', kind: 'join-storm', options: joins(5000, 8, 256, 500), batch: 1000 },
    // The same storm on a server past its warm-up, as one that has run for a while: after
    // 500 joins V8 is still compiling (about half of every server's instructions per join,
    // `npm run bench:join-instructions`), after 6,000 a few percent. One server after
    // another: three servers' 11,000 peers each would not fit in 20,000 open files.
    { id: 'join-storm-warm', kind: 'join-storm', options: joins(5000, 8, 256, 6000) },
  ];
}

/** Tiny sizes: checks the harness end to end in seconds. Bounded by counts, not time. */
export function smokeScenarios(): ScenarioSpec[] {
  const fanout: FanoutOptions = {
    rooms: 2,
    peersPerRoom: 3,
    mode: 'closed',
    window: 2,
    rate: 0,
    textLength: 100,
    warmupMs: 2000,
    warmupMaxMessages: 6,
    durationMs: 5000,
    maxMessages: 20,
    drainTimeoutMs: 5000,
    joinConcurrency: 6,
  };
  const joins = (peers: number, roomSize: number, warmupPeers: number): JoinsOptions => ({
    peers,
    roomSize,
    concurrency: 8,
    warmupPeers,
    deadlineMs: 10_000,
    drainTimeoutMs: 5000,
  });
  return [
    { id: 'fanout', kind: 'fanout', options: fanout },
    { id: 'fanout-rate', kind: 'fanout', options: { ...fanout, mode: 'rate', rate: 400 }, sliceMs: 50 },
    {
      id: 'relay',
      kind: 'relay',
      sliceMs: 50,
      options: {
        pairs: 2,
        window: 2,
        sdpBytes: 4000,
        candidateBytes: 300,
        warmupMs: 2000,
        warmupMaxRelays: 8,
        durationMs: 5000,
        maxRelays: 20,
        drainTimeoutMs: 5000,
        joinConcurrency: 4,
      },
    },
    { id: 'idle-20', kind: 'idle', options: joins(20, 4, 4) },
    { id: 'join-storm', kind: 'join-storm', options: joins(16, 8, 8), batch: 8 },
    { id: 'join-storm-warm', kind: 'join-storm', options: joins(16, 8, 24) },
  ];
}

export interface Target {
  name: string;
  scenario: string;
  metric: string;
  /** The server Confab is compared with. */
  reference: ServerKind;
  /** Pass when confab ≤ maxRatio × reference (all these metrics are lower-is-better). */
  maxRatio: number;
}

/** The targets, for the scenarios present in a run. */
export function targetsFor(scenarios: ScenarioSpec[]): Target[] {
  const targets: Target[] = [];
  for (const spec of scenarios) {
    if (spec.kind === 'fanout') {
      const label = spec.options.mode === 'rate' ? `${spec.id} (fixed rate)` : spec.id;
      targets.push({ name: `${label}: CPU per delivered message within 10% of ws`, scenario: spec.id, metric: 'cpuUsPerMsg', reference: 'ws', maxRatio: 1.1 });
      if (spec.options.mode === 'rate') {
        targets.push({ name: `${label}: delivery p99 ≤ protoo's`, scenario: spec.id, metric: 'p99Ms', reference: 'protoo', maxRatio: 1 });
      }
    } else if (spec.kind === 'relay') {
      targets.push({ name: `${spec.id}: CPU per relay within 10% of ws`, scenario: spec.id, metric: 'cpuUsPerRelay', reference: 'ws', maxRatio: 1.1 });
    } else if (spec.kind === 'join-storm') {
      targets.push({ name: `${spec.id}: CPU per connect+join ≤ 1.1× ws`, scenario: spec.id, metric: 'cpuUsPerJoin', reference: 'ws', maxRatio: 1.1 });
    } else {
      targets.push({ name: `${spec.id}: RSS per idle peer ≤ 1.2× ws`, scenario: spec.id, metric: 'rssBytesPerPeer', reference: 'ws', maxRatio: 1.2 });
    }
  }
  return targets;
}
