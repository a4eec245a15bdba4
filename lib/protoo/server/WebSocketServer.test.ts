import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../test-utils';
import { WebSocketServer } from './WebSocketServer';
import type { WebSocketTransport } from './WebSocketTransport';

interface HandshakeOutcome {
  status: number;
  statusMessage: string;
}

/** Opens a WebSocket and reports the HTTP status the handshake got (101 when accepted). */
function handshake(url: string, protocols: string[] = ['protoo']): Promise<HandshakeOutcome & { ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => resolve({ status: 101, statusMessage: 'Switching Protocols', ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', ws });
      res.resume();
    });
    ws.once('error', (error) => {
      if (ws.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

describe('WebSocketServer', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('handshake', () => {
    it('emits connectionrequest with the request, origin and socket, and accept() opens the connection', async () => {
      server = await startTestServer();
      const seen = nextEvent(server.wss, 'connectionrequest');
      server.wss.once('connectionrequest', (_info, accept) => accept());
      const outcome = await handshake(server.url);
      const [info] = await seen;
      expect(outcome.status).toBe(101);
      expect(outcome.ws.protocol).toBe('protoo');
      expect(info.request.url).toBe('/');
      expect(info.origin).toBeUndefined();
      expect(info.socket).toBeDefined();
      expect(server.wss.connectionCount).toBe(1);
      outcome.ws.close();
    });

    it('answers 403 to a connection without the protoo subprotocol', async () => {
      server = await startTestServer();
      server.wss.on('connectionrequest', (_info, accept) => accept());
      expect(await handshake(server.url, [])).toMatchObject({ status: 403 });
      expect(await handshake(server.url, ['chat', 'other'])).toMatchObject({ status: 403 });
      expect(await handshake(server.url, ['chat', 'protoo'])).toMatchObject({ status: 101 });
    });

    it('answers reject(code, reason) with that status and reason', async () => {
      server = await startTestServer();
      server.wss.on('connectionrequest', (_info, _accept, reject) => reject(409, 'Room is full'));
      expect(await handshake(server.url)).toMatchObject({ status: 409, statusMessage: 'Room is full' });
    });

    it("answers reject(error) with the error's message (and its status, else 500)", async () => {
      server = await startTestServer();
      server.wss.once('connectionrequest', (_info, _accept, reject) => reject(new Error('bad token')));
      expect(await handshake(server.url)).toMatchObject({ status: 500, statusMessage: 'bad token' });
      server.wss.once('connectionrequest', (_info, _accept, reject) => reject(Object.assign(new Error('Forbidden origin'), { status: 403 })));
      expect(await handshake(server.url)).toMatchObject({ status: 403, statusMessage: 'Forbidden origin' });
    });

    it('answers reject() with 403 Rejected, and a listener that throws with 500', async () => {
      server = await startTestServer();
      server.wss.once('connectionrequest', (_info, _accept, reject) => reject());
      expect(await handshake(server.url)).toMatchObject({ status: 403, statusMessage: 'Rejected' });
      server.wss.once('connectionrequest', () => {
        throw new Error('listener bug');
      });
      expect(await handshake(server.url)).toMatchObject({ status: 500, statusMessage: 'listener bug' });
    });

    it('keeps the status line clean when the reason has line breaks', async () => {
      server = await startTestServer();
      server.wss.on('connectionrequest', (_info, _accept, reject) => reject(400, 'bad\r\nSet-Cookie: x=1'));
      expect(await handshake(server.url)).toMatchObject({ status: 400, statusMessage: 'bad  Set-Cookie: x=1' });
    });

    it('answers 503 when the application does not decide in time', async () => {
      server = await startTestServer({ decisionTimeout: 50 });
      let accept: (() => WebSocketTransport) | undefined;
      server.wss.on('connectionrequest', (_info, acceptFn) => {
        accept = acceptFn;
      });
      expect(await handshake(server.url)).toMatchObject({ status: 503 });
      expect(() => accept?.()).toThrow(/already answered/);
    });

    it('lets the application decide later, within the decision timeout', async () => {
      server = await startTestServer({ decisionTimeout: 150 });
      const transports: WebSocketTransport[] = [];
      server.wss.on('connectionrequest', (_info, accept) => {
        setTimeout(() => transports.push(accept()), 30);
      });
      expect(await handshake(server.url)).toMatchObject({ status: 101 });
      await new Promise((resolve) => setTimeout(resolve, 250)); // past the timeout: the connection stays
      expect(transports).toHaveLength(1);
      expect(transports[0]!.closed).toBe(false);
      expect(server.wss.connectionCount).toBe(1);
    });

    it('answers 400 to a request that is not a valid WebSocket handshake', async () => {
      server = await startTestServer();
      server.wss.on('connectionrequest', (_info, accept) => accept());
      const status = await new Promise<number>((resolve) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port: server!.port,
          path: '/',
          headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'short', 'Sec-WebSocket-Version': '13' },
        });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('upgrade', () => resolve(101));
        req.on('error', () => resolve(-1));
        req.end();
      });
      expect(status).toBe(400);
    });

    it('takes only upgrades for its path when given one, and leaves the others alone', async () => {
      server = await startTestServer({ path: '/protoo' });
      server.wss.on('connectionrequest', (_info, accept) => accept());
      const others: string[] = [];
      server.httpServer.on('upgrade', (req, socket) => {
        if (!req.url?.startsWith('/protoo')) {
          others.push(req.url ?? '');
          socket.destroy();
        }
      });
      const ok = await handshake(`ws://127.0.0.1:${server.port}/protoo?roomId=a`);
      expect(ok.status).toBe(101);
      ok.ws.close();
      await handshake(`ws://127.0.0.1:${server.port}/_next/hmr`).catch(() => undefined);
      expect(others).toEqual(['/_next/hmr']);
    });

    it('can be driven by an upgrade router through handleUpgrade()', async () => {
      server = await startTestServer();
      server.wss.stop();
      const routed = new WebSocketServer(null);
      routed.on('connectionrequest', (_info, accept) => accept());
      server.httpServer.on('upgrade', (req, socket, head) => routed.handleUpgrade(req, socket, head));
      const outcome = await handshake(server.url);
      expect(outcome.status).toBe(101);
      outcome.ws.close();
      routed.stop();
    });

    it('refuses connections after stop() with 503', async () => {
      server = await startTestServer();
      const routed = new WebSocketServer(null);
      routed.on('connectionrequest', (_info, accept) => accept());
      server.wss.stop();
      routed.stop();
      server.httpServer.on('upgrade', (req, socket, head) => routed.handleUpgrade(req, socket, head));
      expect(await handshake(server.url)).toMatchObject({ status: 503 });
    });
  });

  describe('limits', () => {
    it('closes a connection that sends a frame over maxFrameSize with 1009', async () => {
      server = await startTestServer({ maxFrameSize: 1000 });
      const accepted = new Promise<WebSocketTransport>((resolve) => server!.wss.once('connectionrequest', (_i, accept) => resolve(accept())));
      const { ws } = await handshake(server.url);
      const transport = await accepted;
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send('x'.repeat(2000));
      expect(await closed).toBe(1009);
      await waitFor(() => transport.closed, 2000, 'server transport closed');
    });

    it('terminates a peer that stops answering pings within two heartbeat intervals', async () => {
      server = await startTestServer({ heartbeatInterval: 200 }); // one group, visited every 100 ms
      const accepted = new Promise<WebSocketTransport>((resolve) => server!.wss.once('connectionrequest', (_i, accept) => resolve(accept())));
      const ws = new WebSocket(server.url, 'protoo', { autoPong: false });
      const transport = await accepted;
      const started = Date.now();
      await nextEvent(transport, 'close', 2000);
      expect(Date.now() - started).toBeLessThan(2 * 200 + 400);
      expect(server.wss.connectionCount).toBe(0);
      ws.terminate();
    });

    it('pings a quiet client once per interval, and never a client that keeps sending', async () => {
      server = await startTestServer({ heartbeatInterval: 200 });
      server.wss.on('connectionrequest', (_info, accept) => accept());
      const quiet = (await handshake(server.url)).ws;
      const talking = (await handshake(server.url)).ws;
      const pings = { quiet: 0, talking: 0 };
      quiet.on('ping', () => pings.quiet++);
      talking.on('ping', () => pings.talking++);
      const chatter = setInterval(() => talking.send('{}'), 20);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      clearInterval(chatter);
      // 1.1 s is 5.5 intervals and 11 visits: at most 6 pings, one every other visit
      // (fewer when the timers run late).
      expect(pings.quiet).toBeGreaterThanOrEqual(2);
      expect(pings.quiet).toBeLessThanOrEqual(6);
      expect(pings.talking).toBe(0);
      expect(server.wss.connectionCount).toBe(2);
      quiet.close();
      talking.close();
    });

    it('keeps a peer that answers pings', async () => {
      server = await startTestServer({ heartbeatInterval: 200 });
      const accepted = new Promise<WebSocketTransport>((resolve) => server!.wss.once('connectionrequest', (_i, accept) => resolve(accept())));
      const { ws } = await handshake(server.url);
      const transport = await accepted;
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(transport.closed).toBe(false);
      ws.close();
    });
  });
});
