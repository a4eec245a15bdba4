/**
 * Connect-and-join for many benchmark peers at once, with a bounded number in flight,
 * per-peer timeouts and an overall deadline. Each joined peer counts the peers it
 * learned of (the join response's `peers` plus later `peerJoined` notifications) so
 * that a scenario can check that every join reached everybody.
 */
import { BenchClient } from './client';
import { pool, Samples, waitUntil } from './stats';

export interface PeerPlan {
  peerId: string;
  roomId: string;
}

export interface JoinedPeer {
  client: BenchClient;
  roomId: string;
  /** Others listed in the join response. */
  peersAtJoin: number;
  /** peerJoined notifications received since. */
  peerJoined: number;
}

export interface JoinOptions {
  concurrency: number;
  /** Per step (connect, join). */
  timeoutMs: number;
  /** No new connection is started after this much time. */
  deadlineMs: number;
}

export interface JoinOutcome {
  peers: JoinedPeer[];
  /** Connect start → join response, ms, per peer. */
  latencies: Samples;
  failures: number;
  firstFailure: string | undefined;
  /** From the first connect to the last join response. */
  elapsedMs: number;
}

/** Plans `count` peers named `<prefix><i>` in rooms `<prefix>r<j>` of `roomSize`. */
export function planPeers(prefix: string, count: number, roomSize: number): PeerPlan[] {
  return Array.from({ length: count }, (_, i) => ({ peerId: `${prefix}${i}`, roomId: `${prefix}r${Math.floor(i / roomSize)}` }));
}

export function joinPayload(peerId: string): string {
  return JSON.stringify({ displayName: `Peer ${peerId}` });
}

export async function joinAll(port: number, plans: PeerPlan[], options: JoinOptions): Promise<JoinOutcome> {
  const peers: JoinedPeer[] = [];
  const latencies = new Samples(plans.length);
  let failures = 0;
  let firstFailure: string | undefined;
  const start = performance.now();
  let lastJoin = start;
  const deadline = start + options.deadlineMs;
  const fail = (reason: string): void => {
    failures++;
    firstFailure ??= reason;
  };

  await pool(plans.length, options.concurrency, async (index) => {
    const plan = plans[index]!;
    if (performance.now() > deadline) return fail('deadline passed before connecting');
    const began = performance.now();
    let client: BenchClient;
    try {
      client = await BenchClient.connect(port, plan.peerId, plan.roomId, options.timeoutMs);
    } catch (error) {
      return fail(`connect ${plan.peerId}: ${(error as Error).message}`);
    }
    const peer: JoinedPeer = { client, roomId: plan.roomId, peersAtJoin: 0, peerJoined: 0 };
    client.onNotification = (method) => {
      if (method === 'peerJoined') peer.peerJoined++;
    };
    await new Promise<void>((resolve) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        fail(`join ${plan.peerId}: no response within ${options.timeoutMs} ms`);
        client.close();
        resolve();
      }, options.timeoutMs);
      client.requestRaw('join', joinPayload(plan.peerId), (error, data) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error !== undefined) {
          fail(`join ${plan.peerId}: ${error}`);
          client.close();
        } else {
          const now = performance.now();
          lastJoin = Math.max(lastJoin, now);
          latencies.add(now - began);
          peer.peersAtJoin = Array.isArray(data?.peers) ? data.peers.length : 0;
          peers.push(peer);
        }
        resolve();
      });
    });
  });
  return { peers, latencies, failures, firstFailure, elapsedMs: lastJoin - start };
}

/** How many peerJoined notifications the joined peers should get in all, and have got. */
export function peerJoinedCounts(peers: JoinedPeer[]): { expected: number; received: number } {
  const roomSizes = new Map<string, number>();
  for (const peer of peers) roomSizes.set(peer.roomId, (roomSizes.get(peer.roomId) ?? 0) + 1);
  let expected = 0;
  let received = 0;
  for (const size of roomSizes.values()) expected += (size * (size - 1)) / 2;
  for (const peer of peers) received += peer.peerJoined;
  return { expected, received };
}

/**
 * Waits (bounded) until every joined peer knows every other peer of its room; returns
 * how many peers still miss some.
 */
export async function awaitRoomsComplete(peers: JoinedPeer[], timeoutMs: number): Promise<{ incomplete: number } & ReturnType<typeof peerJoinedCounts>> {
  await waitUntil(() => {
    const counts = peerJoinedCounts(peers);
    return counts.received >= counts.expected;
  }, timeoutMs);
  const roomSizes = new Map<string, number>();
  for (const peer of peers) roomSizes.set(peer.roomId, (roomSizes.get(peer.roomId) ?? 0) + 1);
  const incomplete = peers.filter((peer) => peer.peersAtJoin + peer.peerJoined !== roomSizes.get(peer.roomId)! - 1).length;
  return { incomplete, ...peerJoinedCounts(peers) };
}

/**
 * Joins the planned peers (`concurrency` at a time) and waits until each knows its whole
 * room, as a message scenario starts; failures go to `problems`. Returns the joined peers.
 */
export async function joinRooms(port: number, plans: PeerPlan[], options: { concurrency: number; drainTimeoutMs: number }, problems: string[]): Promise<JoinedPeer[]> {
  const joined = await joinAll(port, plans, { concurrency: options.concurrency, timeoutMs: 10_000, deadlineMs: 60_000 });
  if (joined.failures > 0) problems.push(`${joined.failures} peers failed to join (${joined.firstFailure})`);
  const rooms = await awaitRoomsComplete(joined.peers, options.drainTimeoutMs);
  if (rooms.incomplete > 0) problems.push(`${rooms.incomplete} peers do not know all of their room`);
  return joined.peers;
}

export function closeAll(peers: JoinedPeer[]): void {
  for (const peer of peers) peer.client.close();
}
