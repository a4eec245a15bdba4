/**
 * idle: N peers connect and join rooms of `roomSize`, then sit there. Reported: the
 * server's RSS growth per peer (RSS after the joins minus RSS before, both after a
 * forced GC in the server child, divided by N) and the time to connect and join all.
 * A few warm-up peers join first (and stay) so that the baseline already includes the
 * code paths' one-time costs (JIT, first allocations).
 *
 * join-storm: N peers connect and join rooms of `roomSize` with `concurrency` in
 * flight. Reported: joins/s, connect+join latency, and the server's CPU per join
 * (connect, join and the peerJoined fan-out to the room), measured from quiescent to
 * quiescent (every peer knows every other peer of its room). With several servers it
 * can run on all at once, in batches that take turns (runJoinStormInTurns).
 */
import { awaitRoomsComplete, closeAll, joinAll, planPeers, type JoinedPeer, type JoinOutcome, type PeerPlan } from '../lib/peers';
import { cpuDeltaUs } from '../lib/server-process';
import { rotate, Samples } from '../lib/stats';
import { countProblems, counts, type Counts, type ScenarioContext, type ScenarioOutcome } from '../lib/types';

export interface JoinsOptions {
  peers: number;
  roomSize: number;
  concurrency: number;
  warmupPeers: number;
  /** Overall bound for the joins, ms. */
  deadlineMs: number;
  drainTimeoutMs: number;
}

async function warmUp(ctx: ScenarioContext, options: JoinsOptions, all: JoinedPeer[], problems: string[]): Promise<void> {
  if (options.warmupPeers <= 0) return;
  const warm = await joinAll(ctx.server.port, planPeers(`${ctx.prefix}w`, options.warmupPeers, options.roomSize), {
    concurrency: options.concurrency,
    timeoutMs: 10_000,
    deadlineMs: options.deadlineMs,
  });
  all.push(...warm.peers);
  if (warm.failures > 0) problems.push(`warm-up: ${warm.failures} peers failed to join (${warm.firstFailure})`);
  await awaitRoomsComplete(warm.peers, options.drainTimeoutMs);
}

async function measuredJoins(ctx: ScenarioContext, options: JoinsOptions, plans: PeerPlan[], all: JoinedPeer[], problems: string[]) {
  const joined = await joinAll(ctx.server.port, plans, {
    concurrency: options.concurrency,
    timeoutMs: 10_000,
    deadlineMs: options.deadlineMs,
  });
  all.push(...joined.peers);
  if (joined.failures > 0) problems.push(`${joined.failures} peers failed to join (${joined.firstFailure})`);
  const rooms = await awaitRoomsComplete(joined.peers, options.drainTimeoutMs);
  if (rooms.incomplete > 0) problems.push(`${rooms.incomplete} peers do not know all of their room`);
  const joinCounts = counts(plans.length, joined.peers.length, joined.failures);
  const notified = counts(rooms.expected, rooms.received, 0);
  problems.push(...countProblems('joins', joinCounts), ...countProblems('peerJoined notifications', notified));
  // One count for both: every join answered, every peerJoined delivered.
  const total = counts(joinCounts.expected + notified.expected, joinCounts.received + notified.received, joinCounts.errors + rooms.incomplete);
  return { joined, total };
}

export async function runIdle(ctx: ScenarioContext, options: JoinsOptions): Promise<ScenarioOutcome> {
  const problems: string[] = [];
  const all: JoinedPeer[] = [];
  try {
    await warmUp(ctx, options, all, problems);
    const before = await ctx.server.stats(true);
    const { joined, total } = await measuredJoins(ctx, options, planPeers(`${ctx.prefix}m`, options.peers, options.roomSize), all, problems);
    const after = await ctx.server.stats(true);
    const n = Math.max(1, joined.peers.length);
    const [p50, p99] = joined.latencies.percentiles(50, 99);
    return {
      metrics: {
        peers: joined.peers.length,
        joinAllMs: joined.elapsedMs,
        joinP50Ms: p50!,
        joinP99Ms: p99!,
        rssBytesPerPeer: (after.rss - before.rss) / n,
        heapBytesPerPeer: (after.heapUsed - before.heapUsed) / n,
        externalBytesPerPeer: (after.external - before.external) / n,
        rssBeforeMB: before.rss / 2 ** 20,
        rssAfterMB: after.rss / 2 ** 20,
      },
      counts: total,
      problems,
    };
  } finally {
    closeAll(all);
  }
}

/** One stretch of measured joins and the server's CPU around it. */
interface JoinReading {
  joined: JoinOutcome;
  total: Counts;
  cpuUs: number;
  windowUs: [number, number];
}

async function readJoins(ctx: ScenarioContext, options: JoinsOptions, plans: PeerPlan[], all: JoinedPeer[], problems: string[]): Promise<JoinReading> {
  const before = await ctx.server.stats();
  const { joined, total } = await measuredJoins(ctx, options, plans, all, problems);
  const after = await ctx.server.stats();
  return { joined, total, cpuUs: cpuDeltaUs(before, after), windowUs: [before.monotonicUs, after.monotonicUs] };
}

/** The storm's outcome from its readings (one, or one per batch). */
function stormOutcome(readings: JoinReading[], problems: string[]): ScenarioOutcome {
  const latencies = new Samples(readings.reduce((sum, reading) => sum + reading.joined.latencies.count, 0) || 1);
  let peers = 0;
  let elapsedMs = 0;
  let cpuUs = 0;
  const total: Counts = { expected: 0, received: 0, lost: 0, errors: 0 };
  for (const reading of readings) {
    latencies.addFrom(reading.joined.latencies);
    peers += reading.joined.peers.length;
    elapsedMs += reading.joined.elapsedMs;
    cpuUs += reading.cpuUs;
    for (const key of ['expected', 'received', 'lost', 'errors'] as const) total[key] += reading.total[key];
  }
  const [p50, p99] = latencies.percentiles(50, 99);
  return {
    metrics: {
      peers,
      joinsPerSec: elapsedMs > 0 ? (peers / elapsedMs) * 1000 : Number.NaN,
      joinP50Ms: p50!,
      joinP99Ms: p99!,
      cpuUsPerJoin: cpuUs / Math.max(1, peers),
      serverCpuPct: elapsedMs > 0 ? cpuUs / 10 / elapsedMs : Number.NaN,
      slices: readings.length,
    },
    counts: total,
    problems,
    measuredWindowUs: [readings[0]?.windowUs[0] ?? Number.NaN, readings.at(-1)?.windowUs[1] ?? Number.NaN],
    perSlice:
      readings.length > 1
        ? {
            serverCpuUs: readings.map((reading) => reading.cpuUs),
            delivered: readings.map((reading) => reading.joined.peers.length),
            p99Ms: readings.map((reading) => reading.joined.latencies.percentiles(99)[0]!),
          }
        : undefined,
  };
}

export async function runJoinStorm(ctx: ScenarioContext, options: JoinsOptions): Promise<ScenarioOutcome> {
  const problems: string[] = [];
  const all: JoinedPeer[] = [];
  try {
    await warmUp(ctx, options, all, problems);
    const reading = await readJoins(ctx, options, planPeers(`${ctx.prefix}m`, options.peers, options.roomSize), all, problems);
    return stormOutcome([reading], problems);
  } finally {
    closeAll(all);
  }
}

/**
 * The join storm on several servers at once, taking turns: after every server's
 * warm-up, the measured joins are cut into batches of `batch` peers (whole rooms), and
 * batch k runs on the servers in their order turned by k, each from quiescent to
 * quiescent with the server's CPU read around it. Every server keeps all its peers
 * open until the end, as in the storm run alone.
 */
export async function runJoinStormInTurns(ctxs: readonly ScenarioContext[], options: JoinsOptions, batch: number): Promise<ScenarioOutcome[]> {
  if (!(batch > 0) || batch % options.roomSize !== 0) throw new RangeError(`batch must be a positive multiple of the room size (${options.roomSize}), got ${batch}`);
  const states = ctxs.map((ctx) => ({
    ctx,
    problems: [] as string[],
    all: [] as JoinedPeer[],
    readings: [] as JoinReading[],
    plans: planPeers(`${ctx.prefix}m`, options.peers, options.roomSize),
  }));
  try {
    for (const state of states) await warmUp(state.ctx, options, state.all, state.problems);
    const order = states.map((_, index) => index);
    for (let k = 0; k * batch < options.peers; k++) {
      for (const index of rotate(order, k)) {
        const state = states[index]!;
        state.readings.push(await readJoins(state.ctx, options, state.plans.slice(k * batch, (k + 1) * batch), state.all, state.problems));
      }
    }
    return states.map((state) => stormOutcome(state.readings, state.problems));
  } finally {
    for (const state of states) closeAll(state.all);
  }
}
