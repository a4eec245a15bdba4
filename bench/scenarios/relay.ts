/**
 * relay: pairs of peers (a room of two each) exchanging WebRTC signals. Each peer keeps
 * `window` signals in flight; of every four it sends, one is a description (~4 KB SDP:
 * `offer` from the first peer, `answer` from the second) and three are candidates
 * (~300 B). A relay is one signal delivered to its target. Latency: send → the target
 * receives it (each direction is one ordered stream, so send times are matched in FIFO
 * order). The target checks the stamped `from` and the payload size.
 */
import type { BenchClient } from '../lib/client';
import { closeAll, joinRooms, planPeers } from '../lib/peers';
import { newPhase, phaseOutcome, type Phase, type PhasePlan, type Workload } from '../lib/phase';
import { waitUntil } from '../lib/stats';
import { counts, type ScenarioContext } from '../lib/types';

export interface RelayOptions {
  pairs: number;
  window: number;
  /** Size of an offer/answer SDP, characters. */
  sdpBytes: number;
  /** Size of a candidate request's data, bytes (about). */
  candidateBytes: number;
  warmupMs: number;
  warmupMaxRelays: number;
  durationMs: number;
  maxRelays: number;
  drainTimeoutMs: number;
  joinConcurrency: number;
}

/** A plausible SDP of about `size` characters (CRLF lines, as browsers write them). */
export function fakeSdp(type: 'offer' | 'answer', size: number): string {
  const lines = ['v=0', `o=- 4611731400430051336 2 IN IP4 127.0.0.1`, 's=-', 't=0 0', 'a=group:BUNDLE 0 1', 'a=msid-semantic: WMS'];
  const media = [
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 103 104 9 0 8 106 105 13 110 112 113 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:EsAw',
    'a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y',
    'a=fingerprint:sha-256 DA:7B:57:DC:28:CE:04:4F:31:79:85:C4:31:67:EB:27:58:29:ED:77:2A:0D:24:AE:ED:AD:30:BC:BD:F1:9C:02',
    `a=setup:${type === 'offer' ? 'actpass' : 'active'}`,
    'a=mid:0',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
  ];
  let sdp = lines.join('\r\n') + '\r\n';
  for (let i = 0; sdp.length < size && i < 1000; i++) sdp += `${media[i % media.length]}\r\n`;
  return sdp.slice(0, size);
}

function candidateData(size: number): Record<string, unknown> {
  const base = 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154 generation 0 ufrag EsAw network-id 1 network-cost 10';
  const candidate = { candidate: base, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'EsAw' };
  const extra = Math.max(0, size - JSON.stringify(candidate).length - 40);
  candidate.candidate = `${base} ${'x'.repeat(extra)}`.trimEnd();
  return candidate;
}

interface Direction {
  /** Pre-serialized request data, in sending order: description, candidate ×3. */
  payloads: { method: string; json: string }[];
  next: number;
  /** Send times of signals not yet received by the target, FIFO. */
  inFlight: number[];
  inFlightHead: number;
}

/** The relay's pairs joined on `ctx.server`, ready to run phases. */
export async function openRelay(ctx: ScenarioContext, options: RelayOptions): Promise<Workload> {
  const { server, prefix } = ctx;
  const problems: string[] = [];
  const peers = await joinRooms(server.port, planPeers(prefix, options.pairs * 2, 2), { concurrency: options.joinConcurrency, drainTimeoutMs: options.drainTimeoutMs }, problems);

  const byRoom = new Map<string, BenchClient[]>();
  for (const peer of peers) byRoom.set(peer.roomId, [...(byRoom.get(peer.roomId) ?? []), peer.client]);
  const pairs = [...byRoom.values()].filter((pair): pair is [BenchClient, BenchClient] => pair.length === 2);
  if (pairs.length < options.pairs) problems.push(`only ${pairs.length} of ${options.pairs} pairs complete`);

  const sdpLength = { offer: fakeSdp('offer', options.sdpBytes).length, answer: fakeSdp('answer', options.sdpBytes).length };
  const candidateJson = JSON.stringify(candidateData(options.candidateBytes));
  let phase: Phase | undefined;
  const links: { client: BenchClient; direction: Direction }[] = [];

  for (const [a, b] of pairs) {
    const make = (from: BenchClient, to: BenchClient, type: 'offer' | 'answer'): Direction => {
      const toJson = JSON.stringify(to.peerId);
      const description = `{"to":${toJson},"description":${JSON.stringify({ type, sdp: fakeSdp(type, options.sdpBytes) })}}`;
      const candidate = `{"to":${toJson},"candidate":${candidateJson}}`;
      return {
        payloads: [{ method: type, json: description }, ...Array.from({ length: 3 }, () => ({ method: 'candidate', json: candidate }))],
        next: 0,
        inFlight: [],
        inFlightHead: 0,
      };
    };
    const aToB = make(a, b, 'offer');
    const bToA = make(b, a, 'answer');
    links.push({ client: a, direction: aToB }, { client: b, direction: bToA });
    const receive = (inbound: Direction, fromId: string) => (method: string, data: Record<string, unknown>) => {
      const current = phase;
      if (!current || (method !== 'offer' && method !== 'answer' && method !== 'candidate')) return;
      const now = performance.now();
      current.delivered++;
      current.lastDeliveryAt = now;
      const sentAt = inbound.inFlight[inbound.inFlightHead++];
      if (inbound.inFlightHead > 1024) {
        inbound.inFlight.splice(0, inbound.inFlightHead);
        inbound.inFlightHead = 0;
      }
      if (sentAt !== undefined) current.latencies.add(now - sentAt);
      const sizeOk =
        method === 'candidate'
          ? data.candidate !== null && typeof data.candidate === 'object'
          : (data.description as { sdp?: string } | undefined)?.sdp?.length === sdpLength[method];
      if (data.from !== fromId || !sizeOk || sentAt === undefined) current.bad++;
    };
    b.onNotification = receive(aToB, a.peerId);
    a.onNotification = receive(bToA, b.peerId);
  }

  const send = (client: BenchClient, direction: Direction, current: Phase, deadline: number, max: number): void => {
    if (!current.active || client.closed || current.sent >= max || performance.now() >= deadline) return;
    current.sent++;
    const payload = direction.payloads[direction.next++ % direction.payloads.length]!;
    direction.inFlight.push(performance.now());
    client.requestRaw(payload.method, payload.json, (error) => {
      if (error !== undefined) current.errors++;
      else current.acked++;
      send(client, direction, current, deadline, max);
    });
  };

  return {
    server,
    async run(durationMs, max, latencies) {
      const current = newPhase(latencies);
      phase = current;
      const deadline = current.startedAt + durationMs;
      for (let slot = 0; slot < options.window; slot++) for (const link of links) send(link.client, link.direction, current, deadline, max);
      await waitUntil(() => current.sent >= max || performance.now() >= deadline, durationMs + 1000, 20);
      current.active = false;
      const drained = await waitUntil(() => current.acked + current.errors >= current.sent && current.delivered >= current.acked, options.drainTimeoutMs);
      if (!drained) problems.push(`not drained within ${options.drainTimeoutMs} ms`);
      return current;
    },
    outcome(phase) {
      const { counts: measured, serverCpuUs, metrics } = phase;
      const missingResponses = measured.sent - measured.acked - measured.errors;
      const c = counts(measured.acked, measured.delivered, measured.errors + missingResponses + measured.bad);
      const seconds = metrics.measuredMs / 1000;
      const own = {
        relays: measured.delivered,
        relaysPerSec: seconds > 0 ? measured.delivered / seconds : Number.NaN,
        cpuUsPerRelay: measured.delivered > 0 ? serverCpuUs / measured.delivered : Number.NaN,
        saturating: 1,
      };
      return phaseOutcome(phase, own, 'relays', c, problems);
    },
    close: () => closeAll(peers),
  };
}

export function relayPlan(options: RelayOptions): PhasePlan {
  return { warmupMs: options.warmupMs, warmupMax: options.warmupMaxRelays, durationMs: options.durationMs, max: options.maxRelays };
}
