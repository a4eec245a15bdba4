import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from './server';
import { startSignalingServer, TestClient } from './signaling/test-client';

describe('HTTP routes', () => {
  let server: RunningServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = undefined;
  });

  it('GET /healthz reports status, uptime, rooms and peers', async () => {
    server = await startSignalingServer();
    clients.push(await TestClient.join(server, 'r1', 'a'), await TestClient.join(server, 'r1', 'b'), await TestClient.join(server, 'r2', 'c'));
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number), rooms: 2, peers: 3, connections: 3 });
  });

  it('GET /metrics is off by default', async () => {
    server = await startSignalingServer();
    expect((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status).toBe(404);
  });

  it('GET /metrics serves Prometheus metrics when enabled', async () => {
    server = await startSignalingServer({ METRICS_ENABLED: 'true' });
    const alice = await TestClient.join(server, 'r1', 'alice');
    const bob = await TestClient.join(server, 'r1', 'bob');
    clients.push(alice, bob);
    await alice.peer.request('offer', { to: 'bob', description: { type: 'offer', sdp: 'v=0' } });
    await alice.peer.request('chat', { text: 'hi', to: 'nobody' }).catch(() => undefined);
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^confab_rooms 1$/m);
    expect(text).toMatch(/^confab_peers 2$/m);
    expect(text).toMatch(/^confab_joins_total 2$/m);
    expect(text).toMatch(/^confab_requests_total\{method="offer"\} 1$/m);
    expect(text).toMatch(/^confab_errors_total\{code="404"\} 1$/m);
    expect(text).toMatch(/^confab_relayed_bytes_total [1-9]\d*$/m);
  });
});
