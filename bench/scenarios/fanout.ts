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
import { closeAll, joinRooms, planPeers } from '../lib/peers';
import { newPhase, phaseOutcome, type Phase, type PhasePlan, type Workload } from '../lib/phase';
import { waitUntil } from '../lib/stats';
import { counts, type ScenarioContext } from '../lib/types';

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

/** The fan-out's peers joined on `ctx.server`, ready to run phases. */
export async function openFanout(ctx: ScenarioContext, options: FanoutOptions): Promise<Workload> {
  const { server, prefix } = ctx;
  const problems: string[] = [];
  const receivers = options.peersPerRoom - 1;
  const padding = 'x'.repeat(Math.max(0, options.textLength - 16));
  const peers = await joinRooms(server.port, planPeers(prefix, options.rooms * options.peersPerRoom, options.peersPerRoom), { concurrency: options.joinConcurrency, drainTimeoutMs: options.drainTimeoutMs }, problems);
  const clients = peers.map((peer) => peer.client);

  let phase: Phase | undefined;
  const onNotification = (method: string, data: Record<string, unknown>): void => {
    const current = phase;
    if (!current || method !== 'chat') return;
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

  return {
    server,
    async run(durationMs, max, latencies) {
      const current = newPhase(latencies);
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
    },
    outcome(phase) {
      const { counts: measured, serverCpuUs, metrics } = phase;
      const c = counts(measured.acked * receivers, measured.delivered, measured.errors + (measured.sent - measured.acked - measured.errors) + measured.bad);
      const seconds = metrics.measuredMs / 1000;
      const own = {
        chats: measured.sent,
        delivered: measured.delivered,
        deliveredPerSec: seconds > 0 ? measured.delivered / seconds : Number.NaN,
        cpuUsPerMsg: measured.delivered > 0 ? serverCpuUs / measured.delivered : Number.NaN,
        saturating: options.mode === 'closed' ? 1 : 0,
      };
      return phaseOutcome(phase, own, 'chat notifications', c, problems);
    },
    close: () => closeAll(peers),
  };
}

export function fanoutPlan(options: FanoutOptions): PhasePlan {
  return { warmupMs: options.warmupMs, warmupMax: options.warmupMaxMessages, durationMs: options.durationMs, max: options.maxMessages };
}
