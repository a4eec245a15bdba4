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
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { instructionParts, selfInstructions, type InstructionParts } from './lib/callgrind';
import { awaitRoomsComplete, closeAll, joinAll, planPeers, type JoinedPeer } from './lib/peers';
import { bundledServer, CONFAB_NODE_FLAGS, ROOT_DIR, SERVER_KINDS, type ServerKind } from './lib/server-process';

const ROOM_SIZE = 8;
const START_TIMEOUT_MS = 120_000;
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

export function hasValgrind(): boolean {
  return ['valgrind', 'callgrind_control'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** Runs `kind` under callgrind and counts its instructions for `joins` joins after `warmup`. */
export async function countJoinInstructions(kind: ServerKind, joins: number, warmup: number): Promise<JoinInstructions> {
  const entry = await bundledServer(kind);
  const dir = mkdtempSync(path.join(tmpdir(), 'confab-callgrind-'));
  const nodeArgs = ['--single-threaded', ...(kind === 'confab' ? CONFAB_NODE_FLAGS : [])];
  const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${path.join(dir, 'callgrind.%p')}`, process.execPath, ...nodeArgs, entry], {
    cwd: ROOT_DIR,
    env: { ...process.env, HEARTBEAT_INTERVAL_MS: '600000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const peers: JoinedPeer[] = [];
  try {
    const port = await listeningPort(child);
    const options = { timeoutMs: JOIN_TIMEOUT_MS, deadlineMs: 10 * JOIN_TIMEOUT_MS };
    const warm = await joinAll(port, planPeers('w', warmup, ROOM_SIZE), { ...options, concurrency: 64 });
    peers.push(...warm.peers);
    await awaitRoomsComplete(warm.peers, JOIN_TIMEOUT_MS);
    callgrindControl('-z', child.pid!);
    const measured = await joinAll(port, planPeers('m', joins, ROOM_SIZE), { ...options, concurrency: 1 });
    peers.push(...measured.peers);
    const rooms = await awaitRoomsComplete(measured.peers, JOIN_TIMEOUT_MS);
    callgrindControl('-d', child.pid!);
    const file = readdirSync(dir).find((name) => name.startsWith(`callgrind.${child.pid}.`));
    const parts = instructionParts(selfInstructions(file ? readFileSync(path.join(dir, file), 'utf8') : ''));
    const total = parts.compiling + parts.gc + parts.rest;
    if (total === 0) throw new Error(`${kind}: callgrind wrote no counts to ${dir}`);
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
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function callgrindControl(command: '-z' | '-d', pid: number): void {
  execFileSync('callgrind_control', [command, String(pid)], { stdio: 'ignore', timeout: 60_000 });
}

function listeningPort(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`server under valgrind did not start in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening 127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server under valgrind exited (${code}) before listening:\n${stderr}`));
    });
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
  if (!hasValgrind()) {
    console.error('valgrind (with callgrind_control) is needed: on Debian, apt-get install valgrind');
    process.exit(1);
  }
  // All at once: a count does not depend on how fast the server ran.
  const results = await Promise.all(servers.map((kind) => countJoinInstructions(kind, joins, warmup)));
  console.log(`user-space instructions per connect+join: ${joins} joins one at a time after ${warmup}, rooms of ${ROOM_SIZE}, Node ${process.version}`);
  const ws = results.find((r) => r.server === 'ws');
  const count = (n: number): string => Math.round(n).toLocaleString('en-US');
  const ratio = (n: number, of: number | undefined): string => (of ? `${(n / of).toFixed(3)}×` : '–');
  console.log('| server | instructions per join | vs ws | V8 compiling | garbage collection | the rest | the rest vs ws |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const { compiling, gc, rest } = r.parts;
    console.log(
      `| ${r.server} | ${count(r.instructionsPerJoin)} | ${ratio(r.instructionsPerJoin, ws?.instructionsPerJoin)} | ${count(compiling)} | ${count(gc)} | ${count(rest)} | ${ratio(rest, ws?.parts.rest)} |`,
    );
  }
  const bad = results.filter((r) => r.failures > 0 || r.incomplete > 0 || r.joins !== joins);
  for (const r of bad) console.error(`${r.server}: ${r.joins} of ${joins} joined, ${r.failures} failed, ${r.incomplete} do not know all of their room`);
  if (bad.length > 0) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
