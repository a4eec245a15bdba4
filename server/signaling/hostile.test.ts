/**
 * Hostile and careless clients: bad handshakes, foreign origins, floods, oversize and
 * unfinished frames. None of it may crash the server or disturb other peers.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { sleep } from '../../lib/protoo/test-utils';
import { ErrorCode } from '../../lib/signaling/protocol';
import type { RunningServer } from '../server';
import { startSignalingServer, TestClient } from './test-client';

function handshakeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'protoo', { headers });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', () => resolve(-1));
  });
}

describe('hostile clients', () => {
  let server: RunningServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = undefined;
  });

  async function join(roomId: string, peerId: string): Promise<TestClient> {
    const client = await TestClient.join(server!, roomId, peerId);
    clients.push(client);
    return client;
  }

  it('refuses bad or missing ids at the handshake with 400', async () => {
    server = await startSignalingServer();
    const base = `ws://127.0.0.1:${server.port}/protoo`;
    expect(await handshakeStatus(`${base}`)).toBe(400);
    expect(await handshakeStatus(`${base}?roomId=r`)).toBe(400);
    expect(await handshakeStatus(`${base}?peerId=a%20b`)).toBe(400);
    expect(await handshakeStatus(`${base}?peerId=${'x'.repeat(65)}`)).toBe(400);
    expect(await handshakeStatus(`${base}?peerId=ok&roomId=../x`)).toBe(400);
    expect(await handshakeStatus(`${base}?peerId=ok&roomId=`)).toBe(400);
    expect(await handshakeStatus(`${base}?peerId=ok_1-A&roomId=Room-2_b`)).toBe(101);
  });

  it('checks Origin: same origin and the allow-list pass, others get 403, none (non-browser) passes', async () => {
    server = await startSignalingServer({ ALLOWED_ORIGINS: 'https://partner.example' });
    const url = `ws://127.0.0.1:${server.port}/protoo?peerId=p`;
    expect(await handshakeStatus(url, { Origin: `http://127.0.0.1:${server.port}` })).toBe(101);
    expect(await handshakeStatus(url, { Origin: 'https://partner.example' })).toBe(101);
    expect(await handshakeStatus(url, { Origin: 'https://evil.example' })).toBe(403);
    expect(await handshakeStatus(url, { Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await handshakeStatus(url, { Origin: 'null' })).toBe(403);
    expect(await handshakeStatus(url)).toBe(101);
  });

  it('refuses connections over MAX_CONNECTIONS with 503', async () => {
    server = await startSignalingServer({ MAX_CONNECTIONS: '1' });
    const first = await TestClient.connect(server, { peerId: 'first' });
    clients.push(first);
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/protoo?peerId=second`)).toBe(503);
  });

  it('closes a connection that never finishes its handshake', async () => {
    server = await startSignalingServer({ HANDSHAKE_TIMEOUT_MS: '300' });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /protoo?peerId=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
    const started = Date.now();
    await new Promise((resolve) => {
      socket.once('close', resolve);
      socket.on('error', () => undefined);
      socket.resume();
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('closes a connection that sends a frame over MAX_FRAME_BYTES with 1009, and the others go on', async () => {
    server = await startSignalingServer({ MAX_FRAME_BYTES: '4096' });
    const alice = await join('room1', 'alice');
    const bob = await join('room1', 'bob');
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/protoo?peerId=big&roomId=room1`, 'protoo');
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send(JSON.stringify({ request: true, id: 1, method: 'chat', data: { text: 'x'.repeat(5000) } }));
    expect(await closed).toBe(1009);
    await alice.peer.request('chat', { text: 'fine' });
    expect((await bob.next('chat')).message.text).toBe('fine');
  });

  it('rate-limits a flood with 429 while honest peers in another room keep chatting', async () => {
    server = await startSignalingServer({ REQUESTS_PER_SECOND: '10', SIGNALS_PER_SECOND: '20' });
    const flooder = await join('noisy', 'flooder');
    const victim = await join('noisy', 'victim');
    const alice = await join('calm', 'alice');
    const bob = await join('calm', 'bob');

    const flood = Array.from({ length: 300 }, (_, i) =>
      flooder.peer.request(i % 2 ? 'ping' : 'candidate', (i % 2 ? {} : { to: 'victim', candidate: null }) as never).then(
        () => 'ok',
        (error: { code: number }) => error.code,
      ),
    );
    const chats = [];
    for (let i = 0; i < 5; i++) chats.push(alice.peer.request('chat', { text: `calm ${i}` }));
    await Promise.all(chats);
    await bob.next('chat', (d) => d.message.text === 'calm 4');
    const results = await Promise.all(flood);
    expect(results.filter((r) => r === ErrorCode.RATE_LIMITED).length).toBeGreaterThan(200);
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThan(0);
    expect(results.every((r) => r === 'ok' || r === ErrorCode.RATE_LIMITED)).toBe(true);
    // The victim got only what passed the limit.
    await sleep(50);
    expect(victim.received.filter((n) => n.method === 'candidate').length).toBeLessThanOrEqual(41);
    // Tokens come back: after a pause the flooder may speak again.
    await sleep(300);
    await expect(flooder.peer.request('ping', {})).resolves.toBeDefined();
  });

  it('survives junk on the socket: binary frames, invalid JSON, deep arrays', async () => {
    server = await startSignalingServer();
    const alice = await join('room1', 'alice');
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/protoo?peerId=junk&roomId=room1`, 'protoo');
    await new Promise((resolve) => ws.once('open', resolve));
    for (const frame of ['null', '1', '[]', '{', '{"request":true}', '['.repeat(300_000) + ']'.repeat(300_000)]) ws.send(frame);
    ws.send(Buffer.alloc(100), { binary: true });
    await sleep(100);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    await expect(alice.peer.request('ping', {})).resolves.toBeDefined();
    ws.close();
  });
});
