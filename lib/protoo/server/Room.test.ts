import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Peer as ClientPeer } from '../client/Peer';
import { connectPair, nextEvent, startTestServer, waitFor, type TestServer } from '../test-utils';
import { Room } from './Room';
import { WebSocketTransport } from './WebSocketTransport';

describe('Room', () => {
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

  describe('#createPeer()', () => {
    it('adds the peer, found by hasPeer/getPeer and in peers', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room, 'alice');
      expect(room.hasPeer('alice')).toBe(true);
      expect(room.getPeer('alice')).toBe(serverPeer);
      expect(room.peers).toEqual([serverPeer]);
      expect(room.getPeer('bob')).toBeUndefined();
      clientPeer.close();
    });

    it('rejects an empty id, a duplicate id and a closed room', async () => {
      const { clientPeer } = await connectPair(server, room, 'alice');
      await expect(room.createPeer('', new WebSocketTransport(undefined))).rejects.toThrow(/non-empty/);
      await expect(room.createPeer('alice', new WebSocketTransport(undefined))).rejects.toThrow(/already a peer/);
      room.close();
      await expect(room.createPeer('bob', new WebSocketTransport(undefined))).rejects.toThrow(/room closed/);
      clientPeer.close();
    });

    it('forgets a peer when it closes', async () => {
      const { serverPeer, clientPeer } = await connectPair(server, room, 'alice');
      clientPeer.close();
      await waitFor(() => serverPeer.closed, 2000, 'peer closed');
      expect(room.hasPeer('alice')).toBe(false);
      expect(room.peerCount).toBe(0);
    });
  });

  describe('#spread()', () => {
    it('notifies every peer but the excluded ones, by instance or by id', async () => {
      const clients: Record<string, ClientPeer> = {};
      for (const id of ['a', 'b', 'c', 'd']) clients[id] = (await connectPair(server, room, id)).clientPeer;
      const received: string[] = [];
      for (const [id, client] of Object.entries(clients)) {
        client.on('notification', (notification) => received.push(`${id}:${notification.method}`));
      }
      room.spread('news', { n: 1 }, [room.getPeer('a')!, 'c']);
      await waitFor(() => received.length === 2, 2000, 'two notifications');
      room.spread('all', { n: 2 });
      await waitFor(() => received.length === 6, 2000, 'four more notifications');
      expect(received.slice(0, 2).sort()).toEqual(['b:news', 'd:news']);
      expect(received.slice(2).sort()).toEqual(['a:all', 'b:all', 'c:all', 'd:all']);
      for (const client of Object.values(clients)) client.close();
    });

    it('serializes the notification once for all recipients', async () => {
      const peers = [(await connectPair(server, room, 'a')).clientPeer, (await connectPair(server, room, 'b')).clientPeer];
      let serializations = 0;
      const data = {
        toJSON() {
          serializations++;
          return { x: 1 };
        },
      };
      room.spread('n', data);
      expect(serializations).toBe(1);
      for (const peer of peers) peer.close();
    });

    it('drops data that cannot be serialized without throwing', async () => {
      let deep: unknown = 1;
      for (let i = 0; i < 200_000; i++) deep = [deep];
      expect(() => room.spread('n', { deep })).not.toThrow();
    });
  });

  describe('#close()', () => {
    it('closes every peer and emits close once', async () => {
      const a = await connectPair(server, room, 'a');
      const b = await connectPair(server, room, 'b');
      let closes = 0;
      room.on('close', () => closes++);
      const clientClosed = nextEvent(a.clientPeer, 'close');
      room.close();
      room.close();
      expect(closes).toBe(1);
      expect(room.closed).toBe(true);
      expect(a.serverPeer.closed && b.serverPeer.closed).toBe(true);
      expect(room.peers).toEqual([]);
      expect((await clientClosed)[0]).toMatchObject({ code: 4000 });
    });
  });
});
