import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PeerClosedError, SendError } from '../errors';
import { Room } from '../server/Room';
import { connectClient, connectPair, nextEvent, startTestServer, waitFor, type TestServer } from '../test-utils';
import { Peer } from './Peer';

describe('client Peer', () => {
  let server: TestServer;
  let room: Room;

  beforeEach(async () => {
    server = await startTestServer();
    room = new Room();
  });

  afterEach(async () => {
    room.close();
    await server.close();
  });

  it('is connected after open and exposes a writable data object', async () => {
    const { clientPeer } = await connectPair(server, room);
    expect(clientPeer.connected).toBe(true);
    expect(clientPeer.closed).toBe(false);
    clientPeer.data.displayName = 'Ann';
    expect(clientPeer.data).toEqual({ displayName: 'Ann' });
    clientPeer.close();
  });

  it('rejects pending requests when the connection drops, then reconnects', async () => {
    const { serverPeer, clientPeer } = await connectPair(server, room, 'alice');
    serverPeer.on('request', () => {
      /* never answers */
    });
    const pending = clientPeer.request('slow');
    const disconnected = nextEvent(clientPeer, 'disconnected');
    // The second connection is accepted as a new peer of the same id once the old one is gone.
    server.wss.once('connectionrequest', (_info, accept) => void room.createPeer('alice', accept()));
    serverPeer.close(1001, 'restart');
    await disconnected;
    expect(clientPeer.connected).toBe(false);
    await expect(pending).rejects.toThrow(PeerClosedError);
    await expect(pending).rejects.toThrow(/disconnected/);
    await expect(clientPeer.request('now')).rejects.toBeInstanceOf(SendError);
    await nextEvent(clientPeer, 'open');
    expect(clientPeer.connected).toBe(true);
    clientPeer.close();
  });

  it('rejects pending requests and emits close once on close()', async () => {
    const { serverPeer, clientPeer } = await connectPair(server, room);
    serverPeer.on('request', () => {
      /* never answers */
    });
    let closes = 0;
    clientPeer.on('close', () => closes++);
    const pending = clientPeer.request('slow');
    clientPeer.close();
    clientPeer.close();
    await expect(pending).rejects.toBeInstanceOf(PeerClosedError);
    expect(closes).toBe(1);
    expect(clientPeer.closed).toBe(true);
    expect(clientPeer.connected).toBe(false);
    await waitFor(() => serverPeer.closed, 2000, 'server side to notice');
  });

  it('emits close once when the server closes it for good (4000)', async () => {
    const { serverPeer, clientPeer } = await connectPair(server, room);
    let closes = 0;
    clientPeer.on('close', () => closes++);
    serverPeer.close();
    await waitFor(() => clientPeer.closed, 2000, 'client closed');
    expect(closes).toBe(1);
  });

  it('emits failed per attempt and close when the server is unreachable', async () => {
    const url = server.url;
    await server.close();
    server = await startTestServer();
    const peer = new Peer(connectClient(url.replace(/:\d+/, ':1'), { retry: { retries: 1, minTimeout: 10, maxTimeout: 10 } }));
    const attempts: number[] = [];
    peer.on('failed', (attempt) => attempts.push(attempt));
    await nextEvent(peer, 'close');
    expect(attempts).toEqual([1, 2]);
    expect(peer.closed).toBe(true);
  });

  it('emits close even when its transport was closed before the peer was created', async () => {
    const transport = connectClient(server.url);
    transport.close();
    const peer = new Peer(transport);
    expect(peer.closed).toBe(false);
    await nextEvent(peer, 'close', 1000);
    expect(peer.closed).toBe(true);
  });
});

describe('closing', () => {
  it('leaves no timer or socket behind on either side', async () => {
    const server = await startTestServer({ heartbeatInterval: 0 });
    const room = new Room({ requestTimeout: 60_000 });
    const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const baseline = timers();
    const { serverPeer, clientPeer } = await connectPair(server, room, 'alice');
    serverPeer.on('request', () => {
      /* never answers */
    });
    clientPeer.on('request', () => {
      /* never answers */
    });
    const pending = [clientPeer.request('a'), clientPeer.request('b'), serverPeer.request('c')].map((p) => p.catch((e: unknown) => e));
    expect(timers()).toBeGreaterThanOrEqual(baseline + 3);
    room.close();
    clientPeer.close();
    for (const error of await Promise.all(pending)) expect(error).toBeInstanceOf(PeerClosedError);
    // The sockets' own closing handshake takes a moment; then nothing is left. At most
    // the baseline: a timer of an earlier test in this file may have fired meanwhile.
    await waitFor(() => timers() <= baseline, 2000, 'every timer to be cleared');
    expect(server.wss.connectionCount).toBe(0);
    expect(clientPeer.listenerCount('close') + serverPeer.listenerCount('request')).toBe(0);
    await server.close();
  });
});
