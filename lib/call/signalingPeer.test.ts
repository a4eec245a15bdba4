import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '../protoo/client';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../protoo/test-utils';
import { signalingPeer, type SignalingPeer } from './signalingPeer';

describe('signalingPeer', () => {
  let server: TestServer | undefined;
  let peer: SignalingPeer | undefined;

  afterEach(async () => {
    peer?.close();
    await server?.close();
  });

  it('probes at once on a wakeup (the network came back), and stops listening once closed, even without its listeners', async () => {
    server = await startTestServer();
    // A server that answers every request and notes each method.
    const methods: string[] = [];
    server.wss.on('connectionrequest', (_info, accept) => {
      const transport = accept();
      transport.on('frame', (frame) => {
        const request = JSON.parse(frame) as { id: number; method: string };
        methods.push(request.method);
        transport.send(JSON.stringify({ response: true, id: request.id, ok: true, data: {} }));
      });
    });
    let check: (() => void) | undefined;
    let listening = false;
    peer = signalingPeer(server.url, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      wakeups: (callback) => {
        check = callback;
        listening = true;
        return () => (listening = false);
      },
    });
    await nextEvent(peer, 'open');
    expect(methods).toEqual([]);
    // Seconds before a quiet spell would make it probe.
    check!();
    await waitFor(() => methods.length > 0, 2000, 'a probe');
    expect(methods).toEqual(['ping']);
    expect(listening).toBe(true);
    // As RoomClient drops a peer it replaces: its listeners first, then the peer.
    peer.removeAllListeners();
    peer.close();
    expect(listening).toBe(false);
  });
});
