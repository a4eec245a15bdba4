import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Peer } from '../lib/protoo/client';
import type { ClientSends, ServerSends } from '../lib/signaling/protocol';
import { connectClient, nextEvent, waitFor } from '../lib/protoo/test-utils';
import { loadConfig } from './config';
import { startServer, type RunningServer } from './server';

const quiet = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' };

/** The HTTP status a WebSocket handshake to `url` gets (101 when it opens). */
function handshakeStatus(url: string, protocols: string[] = []): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', () => resolve(-1));
  });
}

describe('server (signaling only)', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(loadConfig({ ...quiet, NODE_ENV: 'test' }), { next: false });
  });

  afterAll(() => server.close());

  it('answers a protoo ping on the signaling path', async () => {
    const peer = new Peer<ClientSends, ServerSends>(connectClient(`ws://127.0.0.1:${server.port}/protoo?peerId=tester`));
    await nextEvent(peer, 'open');
    const before = Date.now();
    const { serverTime } = await peer.request('ping', {});
    expect(serverTime).toBeGreaterThanOrEqual(before - 1000);
    await expect(peer.request('ping', { extra: 1 } as never)).rejects.toMatchObject({ code: 400 });
    peer.close();
  });

  it('refuses upgrades on any other path', async () => {
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/`, ['protoo'])).toBe(404);
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/protoo/x`, ['protoo'])).toBe(404);
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/_next/hmr`)).toBe(404);
  });

  it('refuses the signaling path without the protoo subprotocol', async () => {
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/protoo?peerId=tester`)).toBe(403);
  });
});

describe('server shutdown', () => {
  it('tells peers, closes them with 1001 so that they reconnect, and closes the HTTP server', async () => {
    const server = await startServer(loadConfig({ ...quiet, NODE_ENV: 'test' }), { next: false });
    const peer = new Peer<ClientSends, ServerSends>(connectClient(`ws://127.0.0.1:${server.port}/protoo?peerId=tester`, { retry: { retries: 0 } }));
    await nextEvent(peer, 'open');
    const notified = nextEvent(peer, 'notification');
    const disconnected = nextEvent(peer, 'disconnected');
    await server.close('maintenance');
    expect((await notified)[0]).toEqual({ notification: true, method: 'serverClosing', data: { reason: 'maintenance' } });
    await disconnected;
    await waitFor(() => peer.closed, 3000, 'retries to end');
    expect(server.httpServer.listening).toBe(false);
    expect(server.signaling.connectionCount).toBe(0);
  });
});

describe('server with Next in development', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(loadConfig({ ...quiet, NODE_ENV: 'development' }));
  }, 120_000);

  afterAll(() => server?.close());

  it('serves the home page and leaves the HMR upgrade to Next', { timeout: 120_000 }, async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Confab');
    let signalingRequests = 0;
    server.signaling.wss.on('connectionrequest', () => signalingRequests++);
    // Next accepts its HMR socket (no subprotocol needed); protoo would have answered 403.
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/_next/hmr`)).toBe(101);
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/_next/hmr`, ['protoo'])).toBe(101);
    expect(signalingRequests).toBe(0);
    // A page path never reaches Next's upgrade handler.
    expect(await handshakeStatus(`ws://127.0.0.1:${server.port}/`)).toBe(404);
  });
});
