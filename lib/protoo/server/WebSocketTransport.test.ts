import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../test-utils';
import { encodeFrame, MAX_BUFFERED_BYTES, WebSocketTransport } from './WebSocketTransport';

/** A plain `ws` client (its own frame parser checks every byte we write) and the server's transport for it. */
async function connect(server: TestServer): Promise<{ client: WebSocket; transport: WebSocketTransport; received: string[] }> {
  const accepted = new Promise<WebSocketTransport>((resolve) => server.wss.once('connectionrequest', (_info, accept) => resolve(accept())));
  const client = new WebSocket(server.url, ['protoo']);
  const received: string[] = [];
  client.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    received.push((data as Buffer).toString('utf8'));
  });
  const [transport] = await Promise.all([accepted, nextEvent(client, 'open')]);
  return { client, transport, received };
}

describe('encodeFrame', () => {
  it('uses the 2, 4 and 10 byte headers of an unmasked text frame', () => {
    expect([...encodeFrame('hi')]).toEqual([0x81, 2, 0x68, 0x69]);
    expect([...encodeFrame('x'.repeat(125)).subarray(0, 2)]).toEqual([0x81, 125]);
    expect([...encodeFrame('x'.repeat(126)).subarray(0, 4)]).toEqual([0x81, 126, 0, 126]);
    expect([...encodeFrame('x'.repeat(65_535)).subarray(0, 4)]).toEqual([0x81, 126, 0xff, 0xff]);
    expect([...encodeFrame('x'.repeat(65_536)).subarray(0, 10)]).toEqual([0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const frame = encodeFrame('é€😀');
    expect(frame[1]).toBe(2 + 3 + 4);
    expect(frame.subarray(2).toString('utf8')).toBe('é€😀');
  });
});

/** A transport on a stand-in WebSocket and socket that records each write's frames. */
function recordingTransport(): { transport: WebSocketTransport; writes: string[][] } {
  const ws = Object.assign(new EventEmitter(), { readyState: 1, ping() {}, close() {}, terminate() {} });
  const writes: string[][] = [];
  const socket = {
    writableLength: 0,
    write(bytes: Buffer) {
      const frames: string[] = [];
      // Frames under 126 bytes here: a 2-byte header, then the text.
      for (let offset = 0; offset < bytes.length; offset += 2 + bytes[offset + 1]!) {
        frames.push(bytes.subarray(offset + 2, offset + 2 + bytes[offset + 1]!).toString('utf8'));
      }
      writes.push(frames);
      return true;
    },
  };
  return { transport: new WebSocketTransport(ws as never, socket as never), writes };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WebSocketTransport (server)', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('writes what a turn of the event loop sent as one write, whichever callback sent it', async () => {
    const { transport, writes } = recordingTransport();
    transport.send('a');
    // Later callbacks of the same turn (as when several clients' requests are read together).
    process.nextTick(() => {
      transport.send('b');
      void Promise.resolve().then(() => transport.send(encodeFrame('c')));
    });
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([['a', 'b', 'c']]);
    transport.send('d');
    await nextTurn();
    expect(writes).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('delivers frames of every header size, strings and encoded frames alike, in order', async () => {
    server = await startTestServer();
    const { client, transport, received } = await connect(server);
    const texts = ['short', 'ü'.repeat(100), 'm'.repeat(70_000), '{"a":"€"}', 'y'.repeat(300)];
    transport.send(texts[0]!);
    transport.send(encodeFrame(texts[1]!));
    transport.send(texts[2]!);
    await waitFor(() => received.length === 3, 5000, 'the first three frames');
    // The last two in one turn: written together.
    transport.send(encodeFrame(texts[3]!));
    transport.send(texts[4]!);
    await waitFor(() => received.length === 5, 5000, 'all frames');
    expect(received).toEqual(texts);
    client.close();
  });

  it('sends one encoded frame to many clients', async () => {
    server = await startTestServer();
    const a = await connect(server);
    const b = await connect(server);
    const frame = encodeFrame('{"notification":true,"method":"x","data":{}}');
    a.transport.send(frame);
    b.transport.send(frame);
    await waitFor(() => a.received.length === 1 && b.received.length === 1, 5000, 'both clients');
    expect(a.received).toEqual(b.received);
    a.client.close();
    b.client.close();
  });

  it('cuts off a client that lets too much queue up, counting what this turn queued', async () => {
    server = await startTestServer();
    const { client, transport, received } = await connect(server);
    const megabyte = encodeFrame('x'.repeat(1024 * 1024 - 10));
    const fits = Math.floor(MAX_BUFFERED_BYTES / megabyte.length);
    // All in one turn: nothing has reached the socket yet, but the queue is over the limit.
    for (let i = 0; i < fits; i++) transport.send(megabyte);
    expect(() => transport.send(megabyte)).toThrow(/overloaded/);
    const [code] = await nextEvent<[number, Buffer]>(client, 'close');
    expect(code).toBe(1006); // terminated, no closing handshake
    await waitFor(() => transport.closed, 5000, 'the transport to close');
    expect(received).toEqual([]); // nothing of the cut-off turn was written
  });

  it('cuts off a client that does not read, once the socket holds more than the limit', async () => {
    server = await startTestServer();
    const { client, transport } = await connect(server);
    (client as unknown as { _socket: { pause(): void } })._socket.pause();
    const megabyte = encodeFrame('x'.repeat(1024 * 1024 - 10));
    let sent = 0;
    // One frame per turn, so only the socket's buffer (kernel buffers full) can trip the limit.
    await waitFor(
      () => {
        try {
          transport.send(megabyte);
          sent += 1;
          return false;
        } catch (error) {
          return /overloaded/.test(String(error));
        }
      },
      10_000,
      'the overload guard',
    );
    expect(sent).toBeGreaterThan(0);
    await waitFor(() => transport.closed, 5000, 'the transport to close');
    client.terminate();
  });

  it('stays in the one set it registered in last, and leaves it when it closes', async () => {
    server = await startTestServer();
    const { client, transport } = await connect(server);
    const first = new Set<WebSocketTransport>();
    const second = new Set<WebSocketTransport>();
    transport.register(first);
    transport.register(second);
    expect([first.has(transport), second.has(transport)]).toEqual([false, true]);
    transport.close();
    expect(second.has(transport)).toBe(false);
    client.terminate();
  });

  it('writes what was sent before close() ahead of the close frame', async () => {
    server = await startTestServer();
    const { client, transport, received } = await connect(server);
    transport.send('last words');
    transport.close(4001, 'bye');
    const [code, reason] = await nextEvent<[number, Buffer]>(client, 'close');
    expect(received).toEqual(['last words']);
    expect([code, String(reason)]).toEqual([4001, 'bye']);
    expect(() => transport.send('too late')).toThrow(/closed/);
  });
});
