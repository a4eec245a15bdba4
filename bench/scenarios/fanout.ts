/**
 * fanout: R rooms × P peers sending public chat; every message reaches the P−1 others.
 *
 * - mode 'closed' (saturation): every peer keeps `window` chats in flight and sends
 *   the next one when a response comes back.
 * - mode 'rate' (fixed rate): chats are sent round-robin over all peers so that the
 *   delivered notifications add up to `rate` per second in total.
 *
 * The chat text starts with the sender's performance.now(); the receiver (same process)
 * takes its own performance.now() minus that: the end-to-end delivery latency. The
 * server's CPU time is read from the server child before and after the measured phase,
 * which starts and ends quiescent (everything sent has been answered and delivered).
 */
import type { BenchClient } from '../lib/client';
import { awaitRoomsComplete, closeAll, joinAll, planPeers, type JoinedPeer } from '../lib/peers';
import { cpuDeltaUs } from '../lib/server-process';
import { Samples, waitUntil } from '../lib/stats';
import { countProblems, counts, type ScenarioContext, type ScenarioOutcome } from '../lib/types';

export interface FanoutOptions {
  rooms: number;
  peersPerRoom: number;
  mode: 'closed' | 'rate';
  /** closed: chats in flight per peer. */
  window: number;
  /** rate: delivered notifications per second, all rooms together. */
  rate: number;
  /** Chat text length in characters. */
  textLength: number;
  warmupMs: number;
  warmupMaxMessages: number;
  durationMs: number;
  /** Chats sent in the measured phase, at most. */
  maxMessages: number;
  drainTimeoutMs: number;
  joinConcurrency: number;
}

interface Phase {
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

function newPhase(capacity: number): Phase {
  const now = performance.now();
  return { active: true, sent: 0, acked: 0, errors: 0, delivered: 0, bad: 0, startedAt: now, lastDeliveryAt: now, latencies: new Samples(capacity) };
}

export async function runFanout(ctx: ScenarioContext, options: FanoutOptions): Promise<ScenarioOutcome> {
  const { server, prefix } = ctx;
  const problems: string[] = [];
  const receivers = options.peersPerRoom - 1;
  const padding = 'x'.repeat(Math.max(0, options.textLength - 16));
  let peers: JoinedPeer[] = [];
  try {
    const joined = await joinAll(server.port, planPeers(prefix, options.rooms * options.peersPerRoom, options.peersPerRoom), {
      concurrency: options.joinConcurrency,
      timeoutMs: 10_000,
      deadlineMs: 60_000,
    });
    peers = joined.peers;
    if (joined.failures > 0) problems.push(`${joined.failures} peers failed to join (${joined.firstFailure})`);
    const rooms = await awaitRoomsComplete(peers, options.drainTimeoutMs);
    if (rooms.incomplete > 0) problems.push(`${rooms.incomplete} peers do not know all of their room`);
    const clients = peers.map((peer) => peer.client);

    let phase = newPhase(1);
    const onNotification = (method: string, data: Record<string, unknown>): void => {
      if (method !== 'chat') return;
      const current = phase;
      const now = performance.now();
      current.delivered++;
      current.lastDeliveryAt = now;
      const sentAt = parseFloat((data.message as { text?: string } | undefined)?.text ?? '');
      if (Number.isFinite(sentAt)) current.latencies.add(now - sentAt);
      else current.bad++;
    };
    for (const client of clients) client.onNotification = onNotification;

    /** Sends one chat from `client` in `current`; in closed mode the response sends the next one. */
    const send = (client: BenchClient, current: Phase, deadline: number, max: number): void => {
      if (!current.active || client.closed || current.sent >= max || performance.now() >= deadline) return;
      current.sent++;
      client.requestRaw('chat', `{"text":"${performance.now().toFixed(3)} ${padding}"}`, (error) => {
        if (error !== undefined) current.errors++;
        else current.acked++;
        if (options.mode === 'closed') send(client, current, deadline, max);
      });
    };

    const runPhase = async (durationMs: number, max: number, capacity: number): Promise<Phase> => {
      const current = newPhase(capacity);
      phase = current;
      const deadline = current.startedAt + durationMs;
      if (options.mode === 'closed') {
        for (let slot = 0; slot < options.window; slot++) for (const client of clients) send(client, current, deadline, max);
        await waitUntil(() => current.sent >= max || performance.now() >= deadline, durationMs + 1000, 20);
      } else if (clients.length > 0) {
        const chatsPerMs = options.rate / Math.max(1, receivers) / 1000;
        let next = 0;
        await new Promise<void>((resolve) => {
          const tick = (): void => {
            const now = performance.now();
            if (now >= deadline || current.sent >= max) {
              clearInterval(timer);
              resolve();
              return;
            }
            const due = Math.min(max, Math.floor((now - current.startedAt) * chatsPerMs)) - current.sent;
            for (let i = 0; i < due; i++) send(clients[next++ % clients.length]!, current, deadline, max);
          };
          const timer = setInterval(tick, 2);
        });
      }
      current.active = false;
      const drained = await waitUntil(
        () => current.acked + current.errors >= current.sent && current.delivered >= current.acked * receivers,
        options.drainTimeoutMs,
      );
      if (!drained) problems.push(`not drained within ${options.drainTimeoutMs} ms`);
      return current;
    };

    await runPhase(options.warmupMs, options.warmupMaxMessages, 10_000);
    const before = await server.stats();
    const generatorBefore = process.cpuUsage();
    const measured = await runPhase(options.durationMs, options.maxMessages, 1_000_000);
    const generatorCpu = process.cpuUsage(generatorBefore);
    const after = await server.stats();

    const c = counts(measured.acked * receivers, measured.delivered, measured.errors + (measured.sent - measured.acked - measured.errors) + measured.bad);
    problems.push(...countProblems('chat notifications', c));
    const seconds = (measured.lastDeliveryAt - measured.startedAt) / 1000;
    const [p50, p99] = measured.latencies.percentiles(50, 99);
    return {
      metrics: {
        chats: measured.sent,
        delivered: measured.delivered,
        deliveredPerSec: seconds > 0 ? measured.delivered / seconds : Number.NaN,
        p50Ms: p50!,
        p99Ms: p99!,
        cpuUsPerMsg: measured.delivered > 0 ? cpuDeltaUs(before, after) / measured.delivered : Number.NaN,
        serverCpuPct: seconds > 0 ? cpuDeltaUs(before, after) / 1e4 / seconds : Number.NaN,
        // Kernel time: system calls, and on loopback the TCP work of every write.
        serverSysPct: seconds > 0 ? (after.cpuSystemUs - before.cpuSystemUs) / 1e4 / seconds : Number.NaN,
        measuredMs: seconds * 1000,
        saturating: options.mode === 'closed' ? 1 : 0,
        generatorCpuPct: seconds > 0 ? (generatorCpu.user + generatorCpu.system) / 1e4 / seconds : Number.NaN,
      },
      counts: c,
      problems,
      measuredWindowUs: [before.monotonicUs, after.monotonicUs],
    };
  } finally {
    closeAll(peers);
  }
}
