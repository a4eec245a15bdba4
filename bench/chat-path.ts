/**
 * The chat path on its own: the CPU a server's own code spends per chat, from the `ws`
 * message event to the bytes handed to each recipient's socket, without the kernel,
 * for Confab and for the plain-`ws` reference.
 *
 *   npm run bench:chat-path [-- --rounds 15 --chats 5000]
 *
 * The load benchmark measures the whole server process, system calls included, on a
 * shared VM whose noise (±10–50 % per run) is larger than the differences worth
 * looking for. This measures only the JavaScript, in one process, to a few percent.
 * - confab: the real Signaling (validation, rate limits, history, resume) with eight
 *   joined participants in one room, on real WebSocketTransports whose WebSocket is a
 *   stand-in (an event emitter) and whose socket counts the bytes and frames written.
 * - ws: the reference's message handler (servers/ws-protocol.ts) sending through `ws`'s
 *   own Sender (as WebSocket.send does) to a socket that counts bytes.
 * Each chat runs in its own turn of the event loop, as at a fixed rate, so every frame
 * is flushed on its own. The loop's own cost (measured without chats, alternating with
 * the rounds of chats) is subtracted. Each path runs in its own process, so that one's
 * heap (Confab keeps a chat history) does not weigh on the other's garbage collection.
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as wsModule from 'ws';
import { WebSocketTransport } from '../lib/protoo/server';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { Signaling } from '../server/signaling/Signaling';
import { median } from './lib/stats';
import { BENCH_LIMITS } from './servers/limits';
import { onMessage, type Member, type RoomState } from './servers/ws-protocol';
import { newChatCounter } from './servers/shapes';

const PEERS = 8;
const TEXT = 'x'.repeat(100);

export const PATHS = ['confab', 'ws'] as const;
export type PathName = (typeof PATHS)[number];

export interface PathResult {
  /** CPU µs per chat (one request, its response, PEERS − 1 notifications), loop cost subtracted: lowest and median round. */
  minUs: number;
  medianUs: number;
  /** Frames expected (PEERS per chat) and handed to the sockets; bytes written. */
  frames: { expected: number; written: number };
  bytes: number;
}

export interface ChatPathResult extends PathResult {
  path: PathName;
  /** The benchmark loop's own µs per chat, already subtracted. */
  loopUs: number;
}

/** `ws`'s frame writer, which WebSocket.send uses (exported by `ws`, not in its types). */
const { Sender } = wsModule as unknown as { Sender: new (socket: unknown) => { send(data: string, options: object): void } };

interface Counter {
  bytes: number;
  frames: number;
}

/** One server's path: `receive(k, raw)` hands a received message to peer k. */
interface Path {
  counter: Counter;
  receive(peer: number, raw: Buffer): void;
  close(): void;
}

function confabPath(): Path {
  const config = loadConfig({ ...BENCH_LIMITS, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const signaling = new Signaling(config, createLogger(config));
  const counter: Counter = { bytes: 0, frames: 0 };
  const sockets: EventEmitter[] = [];
  for (let i = 0; i < PEERS; i++) {
    const ws = Object.assign(new EventEmitter(), { readyState: 1, ping() {}, close() {}, terminate() {} });
    const socket = {
      writableLength: 0,
      remoteAddress: '127.0.0.1',
      write(bytes: Buffer) {
        counter.bytes += bytes.length;
        // The transport writes whole frames (under 64 KB here): count them by their headers.
        for (let offset = 0; offset < bytes.length; counter.frames++) {
          const length = bytes[offset + 1]! & 0x7f;
          offset += length === 126 ? 4 + bytes.readUInt16BE(offset + 2) : 2 + length;
        }
        return true;
      },
    };
    const transport = new WebSocketTransport(ws as never, socket as never);
    // What the server does for an accepted handshake (WebSocketServer's connectionrequest).
    const request = { url: `/signaling?roomId=bench&peerId=p${i}`, headers: {}, socket: {} };
    (signaling.wss as unknown as { safeEmit(...args: unknown[]): boolean }).safeEmit('connectionrequest', { request }, () => transport, () => {});
    sockets.push(ws);
  }
  return {
    counter,
    receive: (peer, raw) => sockets[peer]!.emit('message', raw, false),
    close: () => signaling.close('benchmark over'),
  };
}

function wsPath(): Path {
  const counter: Counter = { bytes: 0, frames: 0 };
  const room: RoomState = { members: new Map(), ...newChatCounter() };
  const members: Member[] = [];
  const socket = {
    cork() {},
    uncork() {},
    write(bytes: Buffer) {
      counter.bytes += bytes.length;
      return true;
    },
  };
  // WebSocket.send's options for a server's text frame without permessage-deflate.
  const options = { binary: false, mask: false, compress: false, fin: true };
  for (let i = 0; i < PEERS; i++) {
    const sender = new Sender(socket);
    const ws = {
      send(data: string) {
        counter.frames++;
        sender.send(data, options);
      },
    };
    const member: Member = { id: `p${i}`, idJson: `"p${i}"`, ws, info: undefined };
    room.members.set(member.id, member);
    members.push(member);
  }
  return { counter, receive: (peer, raw) => onMessage(room, members[peer]!, raw, false), close: () => {} };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function measureChatPath(options: { path: PathName; rounds: number; chats: number }): Promise<ChatPathResult> {
  const path = options.path === 'confab' ? confabPath() : wsPath();
  try {
    for (let i = 0; i < PEERS; i++) path.receive(i, Buffer.from(JSON.stringify({ request: true, id: 1, method: 'join', data: { displayName: `Peer ${i}` } })));
    await nextTurn();
    const before = { ...path.counter };
    let id = 1;
    const round = async (withChats: boolean): Promise<number> => {
      const start = process.cpuUsage();
      for (let k = 0; k < options.chats; k++) {
        if (withChats) path.receive(k % PEERS, Buffer.from(`{"request":true,"id":${++id},"method":"chat","data":{"text":"${TEXT}"}}`));
        await nextTurn();
      }
      const used = process.cpuUsage(start);
      return (used.user + used.system) / options.chats;
    };
    await round(true); // warm-up
    const loops: number[] = [];
    const perChat: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      loops.push(await round(false));
      perChat.push(await round(true));
    }
    const loopUs = Math.min(...loops);
    return {
      path: options.path,
      minUs: Math.min(...perChat) - loopUs,
      medianUs: median(perChat) - loopUs,
      loopUs,
      frames: { expected: (options.rounds + 1) * options.chats * PEERS, written: path.counter.frames - before.frames },
      bytes: path.counter.bytes - before.bytes,
    };
  } finally {
    path.close();
  }
}

const USAGE = `usage: npm run bench:chat-path [-- --rounds N --chats N --path ${PATHS.join('|')}]   (positive integers)`;

async function main(): Promise<void> {
  let values: { rounds: string; chats: string; path?: string };
  try {
    ({ values } = parseArgs({
      options: { rounds: { type: 'string', default: '15' }, chats: { type: 'string', default: '5000' }, path: { type: 'string' } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const rounds = Number(values.rounds);
  const chats = Number(values.chats);
  const only = values.path as PathName | undefined;
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(chats) || chats < 1 || (only !== undefined && !PATHS.includes(only))) {
    console.error(USAGE);
    process.exit(2);
  }
  if (only) {
    // One path, in this process: its result as JSON for the parent.
    console.log(JSON.stringify(await measureChatPath({ path: only, rounds, chats })));
    return;
  }
  const results = PATHS.map((path): ChatPathResult => {
    const args = [...process.execArgv, fileURLToPath(import.meta.url), '--path', path, '--rounds', String(rounds), '--chats', String(chats)];
    return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as ChatPathResult;
  });
  console.log(`chat path: ${PEERS} peers in one room, ${rounds} rounds × ${chats} chats per server, Node ${process.version}`);
  console.log('| server | µs per chat, lowest | median | per delivered notification | loop (subtracted) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(`| ${r.path} | ${r.minUs.toFixed(2)} | ${r.medianUs.toFixed(2)} | ${(r.medianUs / (PEERS - 1)).toFixed(2)} | ${r.loopUs.toFixed(2)} |`);
  }
  const [confab, ws] = results as [ChatPathResult, ChatPathResult];
  console.log(`confab/ws (medians): ${(confab.medianUs / ws.medianUs).toFixed(2)}×`);
  const lost = results.filter((r) => r.frames.written !== r.frames.expected);
  for (const r of lost) console.error(`${r.path}: expected ${r.frames.expected} frames, written ${r.frames.written}`);
  if (lost.length > 0) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
