/**
 * Instructions per connect and join, counted by valgrind's callgrind, for each server.
 *
 *   npm run bench:join-instructions [-- --servers confab,ws --joins 1000 --warmup 500]
 *
 * Each server runs under callgrind, joins `warmup` peers (64 in flight), then `joins`
 * peers one at a time with the counters zeroed before and dumped after. The count is
 * the server process's user-space instructions for those joins (all of its threads, no
 * kernel time), divided by the joins.
 *
 * What it is for: telling two versions of Confab apart. The join storm's CPU time moves
 * by ±4 % from run to run on this shared VM; this moves by about ±0.7 %, because it
 * takes the time-dependent work out: V8 runs `--single-threaded` (no concurrent
 * compilation or marking), peers join one at a time (no batching that depends on
 * timing), and Confab's heartbeat interval is 10 minutes (no visits that scale with
 * the wall clock, which valgrind stretches about 50-fold). Its ratio to `ws` is larger
 * than the storm's CPU-time ratio: the system calls, the same for both servers, are
 * not counted.
 *
 * Each count is also split (bench/lib/callgrind.ts) into V8 compiling, garbage
 * collection and the rest. After the default 500 warm-up joins about half of every
 * server's count is still V8 compiling functions that are only now called often enough
 * to optimize; after 5,000 it is a few percent, and a single full collection can fall
 * in the measured joins or not. The rest is the part to compare between versions.
 * Needs valgrind (Debian: `apt-get install valgrind`).
 */
import { parseArgs } from 'node:util';
import type { InstructionParts } from './lib/callgrind';
import { instructionTable, requireValgrind, underCallgrind } from './lib/callgrind-server';
import { awaitRoomsComplete, closeAll, joinAll, planPeers, type JoinedPeer } from './lib/peers';
import { SERVER_KINDS, type ServerKind } from './lib/server-process';

const ROOM_SIZE = 8;
const JOIN_TIMEOUT_MS = 60_000;

export interface JoinInstructions {
  server: ServerKind;
  joins: number;
  failures: number;
  /** Peers that did not learn of everyone in their room. */
  incomplete: number;
  instructionsPerJoin: number;
  /** The same per join, split into V8 compiling, garbage collection and the rest (bench/lib/callgrind.ts). */
  parts: InstructionParts;
}

/** Runs `kind` under callgrind and counts its instructions for `joins` joins after `warmup`. */
export function countJoinInstructions(kind: ServerKind, joins: number, warmup: number): Promise<JoinInstructions> {
  return underCallgrind(kind, async (server) => {
    const peers: JoinedPeer[] = [];
    try {
      const options = { timeoutMs: JOIN_TIMEOUT_MS, deadlineMs: 10 * JOIN_TIMEOUT_MS };
      const warm = await joinAll(server.port, planPeers('w', warmup, ROOM_SIZE), { ...options, concurrency: 64 });
      peers.push(...warm.peers);
      await awaitRoomsComplete(warm.peers, JOIN_TIMEOUT_MS);
      server.zero();
      const measured = await joinAll(server.port, planPeers('m', joins, ROOM_SIZE), { ...options, concurrency: 1 });
      peers.push(...measured.peers);
      const rooms = await awaitRoomsComplete(measured.peers, JOIN_TIMEOUT_MS);
      const { parts, total } = server.count();
      return {
        server: kind,
        joins: measured.peers.length,
        failures: measured.failures,
        incomplete: rooms.incomplete,
        instructionsPerJoin: total / joins,
        parts: { compiling: parts.compiling / joins, gc: parts.gc / joins, rest: parts.rest / joins },
      };
    } finally {
      closeAll(peers);
    }
  });
}

const USAGE = 'usage: npm run bench:join-instructions [-- --servers confab,ws --joins 1000 --warmup 500]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { servers: { type: 'string', default: 'confab,ws' }, joins: { type: 'string', default: '1000' }, warmup: { type: 'string', default: '500' } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const servers = values.servers.split(',') as ServerKind[];
  const joins = Number(values.joins);
  const warmup = Number(values.warmup);
  if (!servers.every((kind) => SERVER_KINDS.includes(kind)) || !Number.isInteger(joins) || joins < 1 || !Number.isInteger(warmup) || warmup < 0) {
    console.error(USAGE);
    process.exit(2);
  }
  requireValgrind();
  // All at once: a count does not depend on how fast the server ran.
  const results = await Promise.all(servers.map((kind) => countJoinInstructions(kind, joins, warmup)));
  console.log(`user-space instructions per connect+join: ${joins} joins one at a time after ${warmup}, rooms of ${ROOM_SIZE}, Node ${process.version}`);
  console.log(instructionTable('join', results.map((r) => ({ server: r.server, perUnit: r.instructionsPerJoin, parts: r.parts }))));
  const bad = results.filter((r) => r.failures > 0 || r.incomplete > 0 || r.joins !== joins);
  for (const r of bad) console.error(`${r.server}: ${r.joins} of ${joins} joined, ${r.failures} failed, ${r.incomplete} do not know all of their room`);
  if (bad.length > 0) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
