import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PeerClosedError, RequestTimeoutError, ResponseError } from '../errors';
import { connectPair, nextEvent, startTestServer, waitFor, type TestServer } from '../test-utils';
import { Peer } from './Peer';
import { Room } from './Room';
import { WebSocketTransport } from './WebSocketTransport';

type ClientSends = {
  requests: {
    echo: { data: { text: string }; response: { text: string } };
    fail: { data: { code: number } | undefined; response: never };
  };
  notifications: { hello: { n: number } };
};
type ServerSends = {
  requests: { ask: { data: { q: string }; response: { a: string } } };
  notifications: { news: { headline: string } };
};

describe('server Peer', () => {
  let server: TestServer;
  let room: Room<ServerSends, ClientSends>;

  beforeEach(async () => {
    server = await startTestServer();
    room = new Room<ServerSends, ClientSends>({ requestTimeout: 300 });
  });

  afterEach(async () => {
    room.close();
    await server.close();
  });

  describe('requests from the client', () => {
    it('answers with the data given to accept()', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      serverPeer.on('request', (request, accept) => {
        if (request.method === 'echo') accept({ text: request.data.text.toUpperCase() });
      });
      await expect(clientPeer.request('echo', { text: 'hi' })).resolves.toEqual({ text: 'HI' });
      clientPeer.close();
    });

    it('delivers the code and reason given to reject()', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      serverPeer.on('request', (_request, _accept, reject) => reject(418, 'teapot'));
      const error = await clientPeer.request('fail').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error).toMatchObject({ code: 418, message: 'teapot' });
      clientPeer.close();
    });

    it("keeps an Error's message (and numeric code) when rejected with it", async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      serverPeer.on('request', (_request, _accept, reject) => reject(Object.assign(new Error('no such room'), { code: 404 })));
      await expect(clientPeer.request('fail')).rejects.toMatchObject({ code: 404, message: 'no such room' });
      serverPeer.removeAllListeners('request');
      serverPeer.on('request', (_request, _accept, reject) => reject(new Error('plain')));
      await expect(clientPeer.request('fail')).rejects.toMatchObject({ code: 500, message: 'plain' });
      clientPeer.close();
    });

    it('answers 500 when a listener throws or its promise rejects, and the peer stays open', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      serverPeer.on('request', (request) => {
        if (request.method === 'echo') throw new Error('sync boom');
        return Promise.reject(new Error('async boom'));
      });
      await expect(clientPeer.request('echo', { text: 'x' })).rejects.toMatchObject({ code: 500, message: 'sync boom' });
      await expect(clientPeer.request('fail')).rejects.toMatchObject({ code: 500, message: 'async boom' });
      expect(serverPeer.closed).toBe(false);
      clientPeer.close();
    });

    it('answers 501 when nobody listens for requests', async () => {
      const { clientPeer } = await connectPair(server, room);
      await expect(clientPeer.request('fail')).rejects.toMatchObject({ code: 501 });
      clientPeer.close();
    });

    it('answers only once', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      serverPeer.on('request', (_request, accept, reject) => {
        accept();
        reject(500, 'too late');
        accept();
      });
      await expect(clientPeer.request('fail')).resolves.toEqual({});
      clientPeer.close();
    });
  });

  describe('#setRequestHandler()', () => {
    it('takes requests directly: respond() and respondError() answer them, a throw answers 500', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      const events: string[] = [];
      serverPeer.on('request', () => events.push('event'));
      serverPeer.setRequestHandler((request) => {
        if (request.method === 'echo') serverPeer.respond(request, { text: request.data.text });
        else if (request.data?.code === 1) throw new Error('handler bug');
        else serverPeer.respondError(request, 422, 'nope');
      });
      await expect(clientPeer.request('echo', { text: 'direct' })).resolves.toEqual({ text: 'direct' });
      await expect(clientPeer.request('fail', { code: 2 })).rejects.toMatchObject({ code: 422, message: 'nope' });
      await expect(clientPeer.request('fail', { code: 1 })).rejects.toMatchObject({ code: 500, message: 'handler bug' });
      expect(events).toEqual([]);
      serverPeer.setRequestHandler(undefined);
      serverPeer.on('request', (_request, accept) => accept({ text: 'event' }));
      await expect(clientPeer.request('echo', { text: '' })).resolves.toEqual({ text: 'event' });
      clientPeer.close();
    });

    it('keeps the order of many frames sent in one turn of the event loop', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      const seen: number[] = [];
      clientPeer.on('notification', (notification) => {
        if (notification.method === 'news') seen.push(Number(notification.data.headline));
      });
      for (let i = 0; i < 500; i++) void serverPeer.notify('news', { headline: String(i) });
      await waitFor(() => seen.length === 500, 3000, 'all notifications');
      expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i));
      clientPeer.close();
    });
  });

  describe('requests to the client', () => {
    it('resolves with the response data', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      clientPeer.on('request', (request, accept) => accept({ a: `re: ${request.data.q}` }));
      await expect(serverPeer.request('ask', { q: 'why' })).resolves.toEqual({ a: 're: why' });
      clientPeer.close();
    });

    it('rejects with ResponseError on an error response', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      clientPeer.on('request', (_request, _accept, reject) => reject(409, 'busy'));
      await expect(serverPeer.request('ask', { q: '?' })).rejects.toMatchObject({ name: 'ResponseError', code: 409, message: 'busy' });
      clientPeer.close();
    });

    it('rejects with RequestTimeoutError when no response comes', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      clientPeer.on('request', () => {
        /* never answers */
      });
      await expect(serverPeer.request('ask', { q: '?' })).rejects.toBeInstanceOf(RequestTimeoutError);
      clientPeer.close();
    });

    it('rejects pending requests with PeerClosedError when the peer closes', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      clientPeer.on('request', () => {
        /* never answers */
      });
      const pending = serverPeer.request('ask', { q: '?' });
      serverPeer.close();
      await expect(pending).rejects.toBeInstanceOf(PeerClosedError);
      await expect(serverPeer.request('ask', { q: '?' })).rejects.toBeInstanceOf(PeerClosedError);
    });

    it('numbers requests with a per-peer counter', async () => {
      const ws = await rawClient(server, room);
      const ids: number[] = [];
      ws.on('message', (raw) => {
        const message = JSON.parse((raw as Buffer).toString('utf8')) as { id: number };
        ids.push(message.id);
        ws.send(JSON.stringify({ response: true, id: message.id, ok: true, data: {} }));
      });
      const peer = room.getPeer('raw')!;
      for (let i = 0; i < 3; i++) await peer.request('ask', { q: String(i) });
      expect(ids).toEqual([1, 2, 3]);
      ws.close();
    });
  });

  describe('notifications', () => {
    it('travel both ways', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      const atServer = nextEvent(serverPeer, 'notification');
      await clientPeer.notify('hello', { n: 1 });
      expect((await atServer)[0]).toEqual({ notification: true, method: 'hello', data: { n: 1 } });
      const atClient = nextEvent(clientPeer, 'notification');
      await serverPeer.notify('news', { headline: 'x' });
      expect((await atClient)[0]).toEqual({ notification: true, method: 'news', data: { headline: 'x' } });
      clientPeer.close();
    });
  });

  describe('malformed frames', () => {
    const frames = [
      'null',
      '42',
      '[]',
      'not json',
      '{"request":true,"id":"x","method":"m"}',
      '{"response":true,"id":123456,"ok":true}',
      '{"notification":true,"method":7}',
      '{"request":true,"id":1e300,"method":"m"}',
      '{"request":true,"id":1,"method":"m","data":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}',
    ];

    it('are dropped without closing a healthy peer, and a usable request id gets a 400', async () => {
      const ws = await rawClient(server, room);
      const peer = room.getPeer('raw')!;
      const received: unknown[] = [];
      ws.on('message', (raw) => received.push(JSON.parse((raw as Buffer).toString('utf8'))));
      for (const frame of frames) ws.send(frame);
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.send('{"request":true,"id":77,"method":""}');
      await waitFor(() => received.length >= 2, 2000, 'error responses');
      expect(received).toContainEqual(expect.objectContaining({ response: true, id: 77, ok: false, errorCode: 400 }));
      expect(received).toContainEqual(expect.objectContaining({ response: true, id: 1, ok: false, errorCode: 400 }));
      // Still healthy: a valid request is answered.
      peer.on('request', (_request, accept) => accept({ text: 'fine' }));
      ws.send('{"request":true,"id":78,"method":"echo","data":{"text":"x"}}');
      await waitFor(() => received.length >= 3, 2000, 'a response');
      expect(received.at(-1)).toEqual({ response: true, id: 78, ok: true, data: { text: 'fine' } });
      expect(peer.closed).toBe(false);
      ws.close();
    });

    it('a response that cannot be serialized becomes a 500, and the peer stays open', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      let deep: unknown = 1;
      for (let i = 0; i < 200_000; i++) deep = [deep];
      serverPeer.on('request', (_request, accept) => accept(deep as never));
      await expect(clientPeer.request('echo', { text: '' })).rejects.toMatchObject({ code: 500 });
      expect(serverPeer.closed).toBe(false);
      await expect(serverPeer.request('ask', deep as never)).rejects.toMatchObject({ name: 'SendError' });
      clientPeer.close();
    });
  });

  describe('#close()', () => {
    it('closes the connection with 4000 and emits close once', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      let closes = 0;
      serverPeer.on('close', () => closes++);
      const clientClosed = nextEvent(clientPeer, 'close');
      serverPeer.close();
      serverPeer.close();
      expect(closes).toBe(1);
      expect(serverPeer.closed).toBe(true);
      expect((await clientClosed)[0]).toMatchObject({ code: 4000 });
      expect(room.hasPeer('alice')).toBe(false);
    });

    it('emits close once when the client goes away', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room);
      let closes = 0;
      serverPeer.on('close', () => closes++);
      clientPeer.close();
      await waitFor(() => serverPeer.closed, 2000, 'server peer closed');
      serverPeer.close();
      expect(closes).toBe(1);
      expect(room.peerCount).toBe(0);
    });

    it('emits close even when the transport was closed before the peer was created', async () => {
      const peer = new Peer('late', new WebSocketTransport(undefined));
      await nextEvent(peer, 'close', 1000);
      expect(peer.closed).toBe(true);
    });
  });
});

/** A raw `ws` client accepted into `room` as peer "raw". */
async function rawClient(server: TestServer, room: Room<ServerSends, ClientSends>): Promise<WebSocket> {
  const created = new Promise<void>((resolve, reject) => {
    server.wss.once('connectionrequest', (_info, accept) => {
      room.createPeer('raw', accept()).then(() => resolve(), reject);
    });
  });
  const ws = new WebSocket(server.url, 'protoo');
  await Promise.all([created, new Promise((resolve) => ws.once('open', resolve))]);
  return ws;
}
