import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer as Raw, type WebSocket } from 'ws';
import { startTcpProxy } from '../../../server/testing/tcpProxy';
import { connectClient, nextEvent, sleep, startTestServer, waitFor, type TestServer } from '../test-utils';
import type { WebSocketTransport as ServerTransport } from '../server/WebSocketTransport';
import { backoffDelay, DEFAULT_RETRY, WebSocketTransport } from './WebSocketTransport';

describe('client WebSocketTransport', () => {
  let server: TestServer | undefined;
  const transports: WebSocketTransport[] = [];

  function client(...args: Parameters<typeof connectClient>): WebSocketTransport {
    const transport = connectClient(...args);
    transports.push(transport);
    return transport;
  }

  /** Accepts every connection; returns the accepted server-side transports. */
  function acceptAll(target: TestServer): ServerTransport[] {
    const accepted: ServerTransport[] = [];
    target.wss.on('connectionrequest', (_info, accept) => accepted.push(accept()));
    return accepted;
  }

  afterEach(async () => {
    for (const transport of transports.splice(0)) transport.close();
    await server?.close();
    server = undefined;
  });

  describe('backoffDelay()', () => {
    it("follows protoo's defaults: 1 s doubling up to 8 s", () => {
      const plain = { ...DEFAULT_RETRY, randomize: false };
      expect([1, 2, 3, 4, 5, 10].map((retry) => backoffDelay(retry, plain))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    });

    it('adds jitter of up to 2x, still capped', () => {
      expect(backoffDelay(1, DEFAULT_RETRY, () => 0.5)).toBe(1500);
      expect(backoffDelay(3, DEFAULT_RETRY, () => 0.99)).toBe(7960);
      expect(backoffDelay(4, DEFAULT_RETRY, () => 0.99)).toBe(8000);
    });
  });

  it('throws a clear error where there is no global WebSocket and none is given', () => {
    expect(() => new WebSocketTransport('ws://127.0.0.1:1/')).toThrow(/options.WebSocket/);
  });

  it('emits open, and sends and receives text frames', async () => {
    server = await startTestServer();
    const accepted = acceptAll(server);
    const transport = client(server.url);
    await nextEvent(transport, 'open');
    expect(transport.state).toBe('OPEN');
    const atServer = nextEvent(accepted[0]!, 'frame');
    transport.send('{"x":1}');
    expect(await atServer).toEqual(['{"x":1}']);
    const atClient = nextEvent(transport, 'frame');
    accepted[0]!.send('{"y":2}');
    expect(await atClient).toEqual(['{"y":2}']);
  });

  it.each([
    ['the server drops the socket', (_transport: WebSocketTransport, first: ServerTransport) => first.close(1001, 'going away')],
    ['reconnect() is called', (transport: WebSocketTransport) => transport.reconnect('test')],
  ])('emits disconnected and reconnects at once when %s', async (_case, drop) => {
    server = await startTestServer();
    const accepted = acceptAll(server);
    const transport = client(server.url);
    await nextEvent(transport, 'open');
    const disconnected = nextEvent(transport, 'disconnected');
    const reopened = disconnected.then(() => nextEvent(transport, 'open'));
    drop(transport, accepted[0]!);
    await disconnected;
    await reopened;
    expect(accepted).toHaveLength(2);
    expect(() => transport.send('{}')).not.toThrow();
    await waitFor(() => accepted[0]!.closed, 2000, 'the old socket closed');
  });

  it('does not retry after close code 4000', async () => {
    server = await startTestServer();
    const accepted = acceptAll(server);
    const transport = client(server.url);
    await nextEvent(transport, 'open');
    const closed = nextEvent(transport, 'close');
    accepted[0]!.close(4000, 'bye');
    expect((await closed)[0]).toEqual({ code: 4000, reason: 'bye' });
    await sleep(150);
    expect(accepted).toHaveLength(1);
    expect(transport.closed).toBe(true);
  });

  it('emits failed for each attempt with backoff, then close when the retries run out', async () => {
    server = await startTestServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const transport = client(url, { retry: { retries: 2, minTimeout: 20, maxTimeout: 40, randomize: false } });
    const attempts: number[] = [];
    transport.on('failed', (attempt) => attempts.push(attempt));
    await nextEvent(transport, 'close');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('connects once the server comes back during the retries', async () => {
    server = await startTestServer();
    const { port, url } = server;
    await server.close();
    const transport = client(url, { retry: { retries: 20, minTimeout: 30, maxTimeout: 60, randomize: false } });
    await nextEvent(transport, 'failed');
    server = await startTestServer({}, port);
    acceptAll(server);
    await nextEvent(transport, 'open');
    expect(transport.state).toBe('OPEN');
  });

  it('counts an attempt that hangs past connectTimeout as failed', async () => {
    const held = new Set<Socket>();
    // Accepts TCP, never answers the handshake.
    const silent: TcpServer = createTcpServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const transport = client(`ws://127.0.0.1:${port}/`, { connectTimeout: 100, retry: { retries: 0 } });
      const failed = nextEvent(transport, 'failed');
      const closed = nextEvent(transport, 'close');
      expect(await failed).toEqual([1]);
      expect((await closed)[0]).toMatchObject({ reason: 'connect timeout' });
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('liveness', () => {
    /** Accepts every connection and echoes each frame back. */
    function echoAll(target: TestServer): ServerTransport[] {
      const accepted = acceptAll(target);
      target.wss.on('connectionrequest', () => {
        const transport = accepted.at(-1)!;
        transport.on('frame', (frame) => transport.send(frame));
      });
      return accepted;
    }

    /** An echoing server behind a TCP proxy (which can freeze the connection). */
    async function echoBehindProxy() {
      server = await startTestServer();
      const accepted = echoAll(server);
      const proxy = await startTcpProxy(server.port);
      return { accepted, proxy, url: `ws://127.0.0.1:${proxy.port}/` };
    }

    /**
     * An open client with liveness on, whose probe is given the transport; counts its
     * probes and disconnects (a listener's assertion would be swallowed by the emitter).
     */
    async function liveClient(url: string, idleMs: number, timeoutMs: number, probe: (transport: WebSocketTransport) => void = () => {}) {
      const counts = { probes: 0, disconnects: 0 };
      const transport: WebSocketTransport = client(url, {
        liveness: { idleMs, timeoutMs, probe: () => (counts.probes++, probe(transport)) },
      });
      transport.on('disconnected', () => counts.disconnects++);
      await nextEvent(transport, 'open');
      return { transport, counts };
    }

    it('probes a quiet connection and stays connected while the server answers', async () => {
      server = await startTestServer();
      const accepted = echoAll(server);
      const { counts } = await liveClient(server.url, 30, 5000, (transport) => transport.send('"probe"'));
      await waitFor(() => counts.probes >= 3, 5000, 'three probes');
      expect(counts.disconnects).toBe(0);
      expect(accepted).toHaveLength(1);
    });

    it('probes only after idleMs without a frame', async () => {
      server = await startTestServer();
      const accepted = acceptAll(server);
      const idleMs = 200;
      const probes: number[] = [];
      const transport = client(server.url, { liveness: { idleMs, timeoutMs: 60_000, probe: () => probes.push(performance.now()) } });
      await nextEvent(transport, 'open');
      const frames: number[] = [];
      transport.on('frame', () => frames.push(performance.now()));
      const talker = setInterval(() => accepted[0]!.send('"news"'), 10);
      try {
        await waitFor(() => frames.length > 1 && frames.at(-1)! - frames[0]! > 4 * idleMs, 10_000, 'frames for 4 idle spells');
      } finally {
        clearInterval(talker);
      }
      await waitFor(() => probes.length > 0, 5000, 'a probe once the server is quiet');
      // Each probe came a whole idle spell after the last frame before it (on a loaded
      // machine the talker may have paused that long; a probe while it talked may not).
      for (const probe of probes) {
        const lastFrame = frames.filter((frame) => frame <= probe).at(-1) ?? 0;
        expect(probe - lastFrame).toBeGreaterThanOrEqual(idleMs - 5);
      }
    });

    it('close() while a probe is pending: no reconnect, no further probe', async () => {
      server = await startTestServer();
      const accepted = acceptAll(server);
      const { transport, counts } = await liveClient(server.url, 20, 100);
      await waitFor(() => counts.probes === 1, 5000, 'a probe');
      transport.close();
      await sleep(300);
      expect(counts).toEqual({ probes: 1, disconnects: 0 });
      expect(accepted).toHaveLength(1);
    });

    it('a probe that throws is not taken for an unanswered one', async () => {
      server = await startTestServer();
      const accepted = acceptAll(server);
      const { counts } = await liveClient(server.url, 20, 30, () => {
        throw new Error('cannot send');
      });
      await waitFor(() => counts.probes >= 4, 5000, 'four probes');
      expect(counts.disconnects).toBe(0);
      expect(accepted).toHaveLength(1);
    });

    it('probeNow() probes at once, however recent the last frame, and drops a dead connection after timeoutMs', async () => {
      const { accepted, proxy, url } = await echoBehindProxy();
      try {
        // A quiet spell of a minute: only probeNow() probes here.
        const { transport, counts } = await liveClient(url, 60_000, 500, (live) => live.send('"probe"'));
        transport.probeNow();
        expect(counts.probes).toBe(1);
        await nextEvent(transport, 'frame');
        await sleep(700);
        expect(counts).toEqual({ probes: 1, disconnects: 0 });

        proxy.freeze();
        const disconnected = nextEvent(transport, 'disconnected');
        transport.probeNow();
        transport.probeNow(); // a probe is out: no second one
        expect(counts.probes).toBe(2);
        await disconnected;
        await nextEvent(transport, 'open');
        expect(accepted).toHaveLength(2);
      } finally {
        await proxy.close();
      }
    });

    it('reconnects when nothing answers a probe (a connection that died silently)', async () => {
      const { accepted, proxy, url } = await echoBehindProxy();
      try {
        const { transport, counts } = await liveClient(url, 30, 1000, (live) => live.send('"probe"'));
        await waitFor(() => counts.probes >= 2, 5000, 'answered probes');
        const disconnected = nextEvent(transport, 'disconnected');
        const reopened = disconnected.then(() => nextEvent(transport, 'open'));
        proxy.freeze();
        await disconnected;
        await reopened;
        expect(accepted).toHaveLength(2);
        // The new connection is probed and answered like the first.
        const after = counts.probes;
        await waitFor(() => counts.probes >= after + 2, 5000, 'probes on the new connection');
        expect(transport.state).toBe('OPEN');
        expect(counts.disconnects).toBe(1);
      } finally {
        await proxy.close();
      }
    });
  });

  it('close() is final: close emitted once, no further attempts', async () => {
    server = await startTestServer();
    const accepted = acceptAll(server);
    const transport = client(server.url);
    await nextEvent(transport, 'open');
    let closes = 0;
    transport.on('close', () => closes++);
    transport.close();
    transport.close();
    expect(closes).toBe(1);
    expect(() => transport.send('{}')).toThrow(/not connected/);
    await waitFor(() => accepted[0]!.closed, 2000, 'server side closed');
    await sleep(100);
    expect(accepted).toHaveLength(1);
  });

  it('drops binary frames from the server', async () => {
    server = await startTestServer();
    const sockets: WebSocket[] = [];
    server.wss.stop();
    const raw = new Raw({ server: server.httpServer, handleProtocols: () => 'protoo' });
    raw.on('connection', (ws) => {
      sockets.push(ws);
      ws.send(Buffer.from([1, 2, 3]));
      ws.send('{"after":"binary"}');
    });
    const transport = client(server.url);
    const frames: string[] = [];
    transport.on('frame', (frame) => frames.push(frame));
    await waitFor(() => frames.length === 1, 2000, 'the text frame');
    expect(frames).toEqual(['{"after":"binary"}']);
    transport.close();
    for (const ws of sockets) ws.terminate();
    raw.close();
  });
});
