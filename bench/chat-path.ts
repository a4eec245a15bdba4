/**
 * The chat path on its own: the CPU Confab's own code spends per chat, from the `ws`
 * message event to the bytes handed to each recipient's socket, without the kernel.
 *
 *   npm run bench:chat-path [-- --rounds 15 --chats 5000]
 *
 * The load benchmark measures the whole server process, system calls included, on a
 * shared VM whose noise (±10–50 % per run) is larger than the differences worth
 * looking for. This measures only the JavaScript, in one process, to a few percent:
 * the real Signaling (validation, rate limits, history, resume) with eight joined
 * participants in one room, whose transports are real WebSocketTransports on a stand-in
 * WebSocket (an event emitter) and a stand-in socket that counts the bytes written.
 * Each chat runs in its own turn of the event loop, as at a fixed rate, so every frame
 * is flushed on its own. The loop's own cost (measured without chats) is subtracted.
 */
import { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import { WebSocketTransport } from '../lib/protoo/server';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { Signaling } from '../server/signaling/Signaling';
import { median } from './lib/stats';
import { BENCH_LIMITS } from './servers/limits';

const PEERS = 8;
const TEXT = 'x'.repeat(100);

export interface ChatPathResult {
  /** Confab's CPU µs per chat (one request, its response, PEERS − 1 notifications): lowest and median round. */
  minUs: number;
  medianUs: number;
  /** The benchmark loop's own µs per chat, already subtracted. */
  loopUs: number;
  /** Bytes written to the stand-in sockets, and the frames expected and counted. */
  bytes: number;
  frames: { expected: number; written: number };
}

/** A connection's stand-ins: the WebSocket (`ws` API used by the transport) and its socket. */
function standIns(counter: { bytes: number; frames: number }) {
  const ws = Object.assign(new EventEmitter(), { readyState: 1, ping() {}, close() {}, terminate() {} });
  const socket = {
    writableLength: 0,
    remoteAddress: '127.0.0.1',
    write(bytes: Buffer) {
      counter.bytes += bytes.length;
      // Frames this small (under 64 KB) have a 4-byte header at most: count them by walking the headers.
      for (let offset = 0; offset < bytes.length; counter.frames++) {
        const length = bytes[offset + 1]! & 0x7f;
        offset += length === 126 ? 4 + bytes.readUInt16BE(offset + 2) : 2 + length;
      }
      return true;
    },
  };
  return { ws, socket };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function measureChatPath(options: { rounds: number; chats: number }): Promise<ChatPathResult> {
  const config = loadConfig({ ...BENCH_LIMITS, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const signaling = new Signaling(config, createLogger(config));
  const counter = { bytes: 0, frames: 0 };
  const sockets: EventEmitter[] = [];
  try {
    for (let i = 0; i < PEERS; i++) {
      const { ws, socket } = standIns(counter);
      const transport = new WebSocketTransport(ws as never, socket as never);
      // What the server does for an accepted handshake (WebSocketServer's connectionrequest).
      const request = { url: `/signaling?roomId=bench&peerId=p${i}`, headers: {}, socket: {} };
      (signaling.wss as unknown as { safeEmit(...args: unknown[]): boolean }).safeEmit('connectionrequest', { request }, () => transport, () => {});
      ws.emit('message', Buffer.from(JSON.stringify({ request: true, id: 1, method: 'join', data: { displayName: `Peer ${i}` } })), false);
      sockets.push(ws);
    }
    await nextTurn();
    const framesBefore = counter.frames;
    let id = 1;
    const round = async (withChats: boolean): Promise<number> => {
      const start = process.cpuUsage();
      for (let k = 0; k < options.chats; k++) {
        if (withChats) sockets[k % PEERS]!.emit('message', Buffer.from(`{"request":true,"id":${++id},"method":"chat","data":{"text":"${TEXT}"}}`), false);
        await nextTurn();
      }
      const used = process.cpuUsage(start);
      return (used.user + used.system) / options.chats;
    };
    await round(true); // warm-up
    const loops: number[] = [];
    const chats: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      loops.push(await round(false));
      chats.push(await round(true));
    }
    const loopUs = Math.min(...loops);
    const written = counter.frames - framesBefore;
    return {
      minUs: Math.min(...chats) - loopUs,
      medianUs: median(chats) - loopUs,
      loopUs,
      bytes: counter.bytes,
      frames: { expected: (options.rounds + 1) * options.chats * PEERS, written },
    };
  } finally {
    signaling.close('benchmark over');
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, chats: { type: 'string', default: '5000' } } });
  const rounds = Number(values.rounds);
  const chats = Number(values.chats);
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(chats) || chats < 1) {
    console.error('usage: npm run bench:chat-path [-- --rounds N --chats N]   (positive integers)');
    process.exit(2);
  }
  const result = await measureChatPath({ rounds, chats });
  const lost = result.frames.expected - result.frames.written;
  console.log(
    `chat path (${PEERS} peers, ${rounds} rounds × ${chats} chats, Node ${process.version}): ` +
      `${result.minUs.toFixed(2)} µs per chat lowest, ${result.medianUs.toFixed(2)} median ` +
      `(${(result.medianUs / (PEERS - 1)).toFixed(2)} per delivered notification; loop ${result.loopUs.toFixed(2)} µs subtracted)`,
  );
  if (lost !== 0) {
    console.error(`frames: expected ${result.frames.expected}, written ${result.frames.written}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
