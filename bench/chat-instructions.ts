/**
 * Instructions per chat at the fixed rate's pace, counted by valgrind's callgrind, for
 * each server.
 *
 *   npm run bench:chat-instructions [-- --servers confab,ws --chats 2000 --warmup 6000 --top 0]
 *
 * Each server runs under callgrind (bench/lib/callgrind-server.ts) with the fan-out's
 * rooms (25 rooms of 8 peers) and is sent `warmup` chats, then `chats` more with the
 * counters zeroed before and dumped after. Chats go one at a time, round-robin over the
 * peers, each after the previous one was answered and delivered to its 7 receivers: each
 * chat wakes the server on its own, as at `fanout-rate`'s 6,000 notifications/s, where
 * the server is idle most of the time. The count is the server process's user-space
 * instructions (all its threads, no kernel time) divided by the chats.
 *
 * What it is for: the fixed-rate CPU per message moves by 10–30 % from run to run on this
 * shared VM, more than the difference to compare. A count does not move with the host,
 * and `--top N` lists the functions that cost the most per chat (JIT-compiled JavaScript
 * has no symbol under valgrind and is one line). Unlike `bench:chat-path` it includes
 * Node's sockets and streams and `ws`'s receiver; like it, it leaves out the kernel and
 * the caches (an instruction costs the same here whether its code was cold or warm).
 * The default 6,000 warm-up chats are past where V8 stops compiling the hot code (about
 * 5,500 at the fixed rate). Needs valgrind (Debian: `apt-get install valgrind`).
 */
import { parseArgs } from 'node:util';
import type { InstructionParts } from './lib/callgrind';
import { instructionTable, requireValgrind, underCallgrind } from './lib/callgrind-server';
import type { BenchClient } from './lib/client';
import { awaitRoomsComplete, closeAll, joinAll, planPeers, type JoinedPeer } from './lib/peers';
import { SERVER_KINDS, type ServerKind } from './lib/server-process';

const ROOMS = 25;
const ROOM_SIZE = 8;
/** The fan-out scenarios' chat length (bench/config.ts). */
const TEXT = `{"text":"${'x'.repeat(100)}"}`;
const TIMEOUT_MS = 60_000;

export interface ChatInstructions {
  server: ServerKind;
  chats: number;
  /** Chats not answered, or not delivered to every receiver, within the timeout; error responses. */
  failures: number;
  instructionsPerChat: number;
  /** The same per chat, split into V8 compiling, garbage collection and the rest (bench/lib/callgrind.ts). */
  parts: InstructionParts;
  /** The `top` functions with the most self instructions, per chat, most first. */
  top: [name: string, perChat: number][];
}

/** Runs `kind` under callgrind and counts its instructions for `chats` chats after `warmup`. */
export function countChatInstructions(kind: ServerKind, chats: number, warmup: number, top = 0): Promise<ChatInstructions> {
  return underCallgrind(kind, async (server) => {
    const peers: JoinedPeer[] = [];
    try {
      const joined = await joinAll(server.port, planPeers('p', ROOMS * ROOM_SIZE, ROOM_SIZE), { concurrency: 64, timeoutMs: TIMEOUT_MS, deadlineMs: 10 * TIMEOUT_MS });
      peers.push(...joined.peers);
      await awaitRoomsComplete(joined.peers, TIMEOUT_MS);
      if (joined.failures > 0) throw new Error(`${kind}: ${joined.failures} peers failed to join (${joined.firstFailure})`);
      const sender = oneChatAtATime(peers.map((peer) => peer.client));
      let failures = await sender.send(warmup);
      server.zero();
      failures += await sender.send(chats);
      const { functions, parts, total } = server.count();
      return {
        server: kind,
        chats,
        failures,
        instructionsPerChat: total / chats,
        parts: { compiling: parts.compiling / chats, gc: parts.gc / chats, rest: parts.rest / chats },
        top: topFunctions(functions, top).map(([name, count]) => [name, count / chats]),
      };
    } finally {
      closeAll(peers);
    }
  });
}

/**
 * Sends chats one at a time, round-robin over `clients` (all in full rooms of ROOM_SIZE):
 * each once the previous one is answered and delivered to the sender's room. Resolves
 * with the number that failed.
 */
function oneChatAtATime(clients: BenchClient[]): { send(count: number): Promise<number> } {
  let next = 0;
  let delivered = 0;
  /** Called when the chat in flight may be done (answered, or delivered once more). */
  let progress = (): void => {};
  for (const client of clients) {
    client.onNotification = (method) => {
      if (method !== 'chat') return;
      delivered++;
      progress();
    };
  }
  const chat = (client: BenchClient): Promise<boolean> =>
    new Promise((resolve) => {
      const expected = delivered + ROOM_SIZE - 1;
      let answered = false;
      let ok = true;
      const done = (result: boolean): void => {
        clearTimeout(timer);
        progress = () => {};
        resolve(result);
      };
      const timer = setTimeout(() => done(false), TIMEOUT_MS);
      progress = () => {
        if (answered && delivered >= expected) done(ok && delivered === expected);
      };
      client.requestRaw('chat', TEXT, (error) => {
        answered = true;
        ok = error === undefined;
        progress();
      });
    });
  return {
    async send(count) {
      let failures = 0;
      for (let i = 0; i < count; i++) {
        if (!(await chat(clients[next++ % clients.length]!))) failures++;
      }
      return failures;
    },
  };
}

/** The `count` functions with the most self instructions; JIT-compiled code (no symbol) is one entry. */
function topFunctions(functions: Map<string, number>, count: number): [string, number][] {
  if (count <= 0) return [];
  const merged = new Map<string, number>();
  for (const [name, instructions] of functions) {
    const key = /^0x[0-9a-f]+$/i.test(name) ? '(JIT-compiled code, no symbol)' : name;
    merged.set(key, (merged.get(key) ?? 0) + instructions);
  }
  return [...merged].sort((a, b) => b[1] - a[1]).slice(0, count);
}

const USAGE = 'usage: npm run bench:chat-instructions [-- --servers confab,ws --chats 2000 --warmup 6000 --top 0]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        servers: { type: 'string', default: 'confab,ws' },
        chats: { type: 'string', default: '2000' },
        warmup: { type: 'string', default: '6000' },
        top: { type: 'string', default: '0' },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const servers = values.servers.split(',') as ServerKind[];
  const [chats, warmup, top] = [Number(values.chats), Number(values.warmup), Number(values.top)];
  if (!servers.every((kind) => SERVER_KINDS.includes(kind)) || !Number.isInteger(chats) || chats < 1 || !Number.isInteger(warmup) || warmup < 0 || !Number.isInteger(top) || top < 0) {
    console.error(USAGE);
    process.exit(2);
  }
  requireValgrind();
  // All at once: a count does not depend on how fast the server ran.
  const results = await Promise.all(servers.map((kind) => countChatInstructions(kind, chats, warmup, top)));
  console.log(`user-space instructions per chat (1 request, 1 response, ${ROOM_SIZE - 1} notifications): ${chats} chats one at a time after ${warmup}, ${ROOMS} rooms of ${ROOM_SIZE}, Node ${process.version}`);
  console.log(instructionTable('chat', results.map((r) => ({ server: r.server, perUnit: r.instructionsPerChat, parts: r.parts }))));
  for (const r of results.filter((result) => result.top.length > 0)) {
    console.log(`\n${r.server}: the ${r.top.length} functions with the most self instructions per chat`);
    for (const [name, perChat] of r.top) console.log(`${Math.round(perChat).toLocaleString('en-US').padStart(10)}  ${name}`);
  }
  const bad = results.filter((r) => r.failures > 0);
  for (const r of bad) console.error(`${r.server}: ${r.failures} chats failed (not answered, or not delivered to every receiver)`);
  if (bad.length > 0) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
