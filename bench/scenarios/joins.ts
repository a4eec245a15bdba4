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
 * quiescent (every peer knows every other peer of its room).
 */
import { awaitRoomsComplete, closeAll, joinAll, planPeers, type JoinedPeer } from '../lib/peers';
import { cpuDeltaUs } from '../lib/server-process';
import { countProblems, counts, type ScenarioContext, type ScenarioOutcome } from '../lib/types';

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

async function measuredJoins(ctx: ScenarioContext, options: JoinsOptions, all: JoinedPeer[], problems: string[]) {
  const joined = await joinAll(ctx.server.port, planPeers(`${ctx.prefix}m`, options.peers, options.roomSize), {
    concurrency: options.concurrency,
    timeoutMs: 10_000,
    deadlineMs: options.deadlineMs,
  });
  all.push(...joined.peers);
  if (joined.failures > 0) problems.push(`${joined.failures} peers failed to join (${joined.firstFailure})`);
  const rooms = await awaitRoomsComplete(joined.peers, options.drainTimeoutMs);
  if (rooms.incomplete > 0) problems.push(`${rooms.incomplete} peers do not know all of their room`);
  const joinCounts = counts(options.peers, joined.peers.length, joined.failures);
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
    const { joined, total } = await measuredJoins(ctx, options, all, problems);
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

export async function runJoinStorm(ctx: ScenarioContext, options: JoinsOptions): Promise<ScenarioOutcome> {
  const problems: string[] = [];
  const all: JoinedPeer[] = [];
  try {
    await warmUp(ctx, options, all, problems);
    const before = await ctx.server.stats();
    const { joined, total } = await measuredJoins(ctx, options, all, problems);
    const after = await ctx.server.stats();
    const n = Math.max(1, joined.peers.length);
    const [p50, p99] = joined.latencies.percentiles(50, 99);
    return {
      metrics: {
        peers: joined.peers.length,
        joinsPerSec: joined.elapsedMs > 0 ? (joined.peers.length / joined.elapsedMs) * 1000 : Number.NaN,
        joinP50Ms: p50!,
        joinP99Ms: p99!,
        cpuUsPerJoin: cpuDeltaUs(before, after) / n,
        serverCpuPct: joined.elapsedMs > 0 ? cpuDeltaUs(before, after) / 10 / joined.elapsedMs : Number.NaN,
      },
      counts: total,
      problems,
      measuredWindowUs: [before.monotonicUs, after.monotonicUs],
    };
  } finally {
    closeAll(all);
  }
}
