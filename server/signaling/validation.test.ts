/**
 * For every request method, a table of bad payloads and the error code each must get,
 * with the server still healthy and the other peers undisturbed afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ErrorCode, type RequestName } from '../../lib/signaling/protocol';
import type { RunningServer } from '../server';
import { startSignalingServer, TestClient } from './test-client';

const { BAD_REQUEST, TOO_LARGE, UNKNOWN_PEER, NOT_JOINED } = ErrorCode;

/** JSON text that no client library could serialize for us: sent as a raw frame. */
class RawJson {
  constructor(readonly json: string) {}
}
const deep = new RawJson('{"d":'.repeat(50_000) + '1' + '}'.repeat(50_000));
const deepArray = new RawJson('['.repeat(50_000) + ']'.repeat(50_000));
const raw = (template: string, value: RawJson): RawJson => new RawJson(template.replace('$', value.json));

const sdp = 'v=0\r\n';
const BAD: Record<RequestName, [name: string, data: unknown, code: number][]> = {
  join: [
    ['no displayName', {}, BAD_REQUEST],
    ['empty displayName', { displayName: '   ' }, BAD_REQUEST],
    ['displayName a number', { displayName: 5 }, BAD_REQUEST],
    ['displayName too long', { displayName: 'x'.repeat(65) }, TOO_LARGE],
    ['unknown presence', { displayName: 'a', presence: { show: 'busy' } }, BAD_REQUEST],
    ['fields not an object', { displayName: 'a', fields: [1] }, BAD_REQUEST],
    ['fields too deep', raw('{"displayName":"a","fields":{"deep":$}}', deep), BAD_REQUEST],
    ['fields too large', { displayName: 'a', fields: { big: 'x'.repeat(5000) } }, TOO_LARGE],
    ['33 fields', { displayName: 'a', fields: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, 1])) }, TOO_LARGE],
    ['unknown key', { displayName: 'a', admin: true }, BAD_REQUEST],
  ],
  leave: [['unknown key', { now: true }, BAD_REQUEST]],
  chat: [
    ['no text', {}, BAD_REQUEST],
    ['empty text', { text: ' \n ' }, BAD_REQUEST],
    ['text too long', { text: 'x'.repeat(2001) }, TOO_LARGE],
    ['text huge', { text: 'x'.repeat(500_000) }, TOO_LARGE],
    ['to not an id', { text: 'hi', to: '../etc' }, BAD_REQUEST],
    ['to unknown', { text: 'hi', to: 'ghost' }, UNKNOWN_PEER],
    ['text nested 50,000 deep', raw('{"text":$}', deep), BAD_REQUEST],
  ],
  setPresence: [
    ['no show', {}, BAD_REQUEST],
    ['bad show', { show: 'online' }, BAD_REQUEST],
    ['status too long', { show: 'away', status: 'x'.repeat(129) }, TOO_LARGE],
  ],
  setDisplayName: [
    ['missing', {}, BAD_REQUEST],
    ['only controls', { displayName: '\u0000\u202e' }, BAD_REQUEST],
  ],
  setFields: [
    ['missing', {}, BAD_REQUEST],
    ['an array', { fields: [] }, BAD_REQUEST],
    ['nested 50,000 deep', raw('{"fields":{"deep":$}}', deep), BAD_REQUEST],
    ['array nested 50,000 deep', raw('{"fields":{"a":$}}', deepArray), BAD_REQUEST],
    ['too large', { fields: { big: 'x'.repeat(3000) } }, TOO_LARGE],
    ['33 fields', { fields: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, 1])) }, TOO_LARGE],
  ],
  offer: [
    ['no to', { description: { type: 'offer', sdp } }, BAD_REQUEST],
    ['wrong type', { to: 'bob', description: { type: 'answer', sdp } }, BAD_REQUEST],
    ['empty sdp', { to: 'bob', description: { type: 'offer', sdp: '' } }, BAD_REQUEST],
    ['sdp too large', { to: 'bob', description: { type: 'offer', sdp: 'x'.repeat(100_001) } }, TOO_LARGE],
    ['unknown target', { to: 'ghost', description: { type: 'offer', sdp } }, UNKNOWN_PEER],
    ['to self', { to: 'alice', description: { type: 'offer', sdp } }, BAD_REQUEST],
  ],
  answer: [
    ['no description', { to: 'bob' }, BAD_REQUEST],
    ['sdp a number', { to: 'bob', description: { type: 'answer', sdp: 1 } }, BAD_REQUEST],
  ],
  candidate: [
    ['no candidate key', { to: 'bob' }, BAD_REQUEST],
    ['candidate too large', { to: 'bob', candidate: { candidate: 'x'.repeat(1025) } }, TOO_LARGE],
    ['candidate a string', { to: 'bob', candidate: 'candidate:1' }, BAD_REQUEST],
    ['negative mline', { to: 'bob', candidate: { candidate: 'c', sdpMLineIndex: -1 } }, BAD_REQUEST],
  ],
  reject: [['reason too long', { to: 'bob', reason: 'x'.repeat(300) }, TOO_LARGE]],
  hangup: [['to an array', { to: ['bob'] }, BAD_REQUEST]],
  getIceConfig: [['unknown key', { force: true }, BAD_REQUEST]],
  getRoomList: [['unknown key', { page: 2 }, BAD_REQUEST]],
  appMessage: [
    ['no data', {}, BAD_REQUEST],
    ['data nested 50,000 deep', raw('{"data":$}', deep), BAD_REQUEST],
    ['data an array nested 50,000 deep', raw('{"data":$}', deepArray), BAD_REQUEST],
    ['data too large', { data: 'x'.repeat(20_000) }, TOO_LARGE],
    ['unknown target', { to: 'ghost', data: 1 }, UNKNOWN_PEER],
  ],
  ping: [['unknown key', { t: 1 }, BAD_REQUEST]],
};

/** A bare `ws` client that sends request frames as given text. */
class RawClient {
  static #count = 0;
  #lastId = 0;
  private constructor(private readonly ws: WebSocket) {}

  /** A new raw connection, in its own room unless it is the newcomer trying room1. */
  static async open(server: RunningServer, peerId: string): Promise<RawClient> {
    const roomId = peerId === 'newcomer' ? 'room1' : 'rawroom';
    const ws = new WebSocket(TestClient.url(server, { roomId, peerId: `${peerId}${++RawClient.#count}` }), 'protoo');
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new RawClient(ws);
  }

  /** Sends a request whose data is `dataJson` verbatim; resolves with the error response (or {code: 0} on success). */
  request(method: string, dataJson: string): Promise<{ code: number; message: string }> {
    const id = ++this.#lastId;
    return new Promise((resolve) => {
      const onMessage = (frame: Buffer): void => {
        const message = JSON.parse(frame.toString('utf8')) as { id?: number; ok?: boolean; errorCode?: number; errorReason?: string };
        if (message.id !== id) return;
        this.ws.off('message', onMessage);
        resolve(message.ok ? { code: 0, message: '' } : { code: message.errorCode ?? -1, message: message.errorReason ?? '' });
      };
      this.ws.on('message', onMessage);
      this.ws.send(`{"request":true,"id":${id},"method":"${method}","data":${dataJson}}`);
    });
  }

  close(): void {
    this.ws.close();
  }
}

describe('request validation', () => {
  let server: RunningServer;
  let alice: TestClient;
  let bob: TestClient;

  beforeAll(async () => {
    server = await startSignalingServer({ REQUESTS_PER_SECOND: '10000', SIGNALS_PER_SECOND: '10000' });
    alice = await TestClient.join(server, 'room1', 'alice');
    bob = await TestClient.join(server, 'room1', 'bob');
  });

  afterAll(async () => {
    alice.close();
    bob.close();
    await server.close();
  });

  for (const [method, cases] of Object.entries(BAD) as [RequestName, [string, unknown, number][]][]) {
    describe(method, () => {
      it.each(cases)('%s', async (_name, data, code) => {
        let error: { code: number; message: string };
        if (data instanceof RawJson) {
          const rawClient = await RawClient.open(server, method === 'join' ? 'newcomer' : 'rawpeer');
          if (method !== 'join') await rawClient.request('join', '{"displayName":"raw"}');
          error = await rawClient.request(method, data.json);
          rawClient.close();
        } else {
          // `join` is tried on a fresh connection; everything else on alice's.
          const client = method === 'join' ? await TestClient.connect(server, { roomId: 'room1', peerId: 'newcomer' }) : alice;
          error = (await client.peer.request(method, data as never).catch((e: unknown) => e)) as { code: number; message: string };
          expect(error).toMatchObject({ name: 'ResponseError' });
          if (client !== alice) client.close();
        }
        expect({ code: error.code, message: error.message }).toMatchObject({ code });
        expect(error.message.length).toBeLessThanOrEqual(300);
      });
    });
  }

  it('answers an unknown method with UNKNOWN_METHOD, even a prototype key', async () => {
    for (const method of ['frobnicate', 'constructor', '__proto__', 'toString', 'x'.repeat(10_000)]) {
      await expect(alice.peer.request(method as never, {} as never)).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_METHOD });
    }
  });

  it('answers every method but join, ping and getRoomList with NOT_JOINED before join', async () => {
    const early = await TestClient.connect(server, { roomId: 'room1', peerId: 'early' });
    for (const method of ['leave', 'chat', 'setPresence', 'setDisplayName', 'setFields', 'offer', 'answer', 'candidate', 'reject', 'hangup', 'getIceConfig', 'appMessage'] as const) {
      await expect(early.peer.request(method, {})).rejects.toMatchObject({ code: NOT_JOINED });
    }
    early.close();
  });

  it('leaves the server healthy and the other peers undisturbed', async () => {
    await expect(alice.peer.request('ping', {})).resolves.toMatchObject({ serverTime: expect.any(Number) });
    const before = bob.received.length;
    await alice.peer.request('chat', { text: 'still here' });
    expect((await bob.next('chat', (d) => d.message.text === 'still here')).message.from).toBe('alice');
    expect(bob.received.slice(before).map((n) => n.method)).toEqual(['chat']);
    expect(bob.received.filter((n) => n.method === 'peerLeft' || n.method === 'peerUpdated')).toEqual([]);
    expect(server.signaling.rooms.get('room1')!.size).toBe(2);
  });
});
