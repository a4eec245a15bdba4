import protooClient from 'protoo-client';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent, sleep, waitFor } from '../../lib/protoo/test-utils';
import { ErrorCode } from '../../lib/signaling/protocol';
import type { RunningServer } from '../server';
import { startSignalingServer, startTcpProxy, TestClient, type TcpProxy } from './test-client';

describe('Signaling', () => {
  let server: RunningServer | undefined;
  let proxy: TcpProxy | undefined;
  const clients: TestClient[] = [];

  async function start(env: Record<string, string> = {}): Promise<RunningServer> {
    server = await startSignalingServer(env);
    return server;
  }

  async function join(roomId: string, peerId: string, data = {}): Promise<TestClient> {
    const client = await TestClient.join(server!, roomId, peerId, data);
    clients.push(client);
    return client;
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await proxy?.close();
    proxy = undefined;
    await server?.close();
    server = undefined;
  });

  describe('join', () => {
    it('lets peers see each other: the joiner gets the room, the others get peerJoined', async () => {
      await start();
      const alice = await join('room1', 'alice', { presence: { show: 'away', status: 'brb' }, fields: { muted: true }, device: { browser: 'Chrome' } });
      expect(alice.joined).toMatchObject({ self: { id: 'alice', displayName: 'alice', connection: 'connected' }, peers: [], chat: [], resumed: false });
      expect(alice.joined!.resumeToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(alice.joined!.limits.maxPeersPerRoom).toBe(8);
      expect(alice.joined!.iceConfig).toEqual({ iceServers: [], iceTransportPolicy: 'all', expiresAt: null });
      // Exactly the documented fields, in order (docs/protocol.md).
      expect(Object.keys(alice.joined!)).toEqual(['self', 'peers', 'chat', 'iceConfig', 'limits', 'resumeToken', 'reconnectGraceMs', 'resumed']);
      expect(alice.joined!.self).toStrictEqual({
        id: 'alice',
        displayName: 'alice',
        presence: { show: 'away', status: 'brb' },
        fields: { muted: true },
        joinedAt: alice.joined!.self.joinedAt,
        connection: 'connected',
        device: { browser: 'Chrome' },
      });

      const bob = await join('room1', 'bob');
      expect(bob.joined!.peers).toEqual([
        expect.objectContaining({ id: 'alice', presence: { show: 'away', status: 'brb' }, fields: { muted: true }, device: { browser: 'Chrome' } }),
      ]);
      expect((await alice.next('peerJoined')).peer).toStrictEqual(bob.joined!.self);
      expect(bob.joined!.self).toMatchObject({ id: 'bob', displayName: 'bob', presence: { show: 'chat' }, fields: {}, connection: 'connected' });

      const carol = await join('room1', 'carol');
      const dave = await join('room1', 'dave');
      expect(dave.joined!.peers.map((peer) => peer.id).sort()).toEqual(['alice', 'bob', 'carol']);
      for (const client of [alice, bob, carol]) await client.next('peerJoined', (data) => data.peer.id === 'dave');
      expect(bob.methods().filter((method) => method === 'peerJoined')).toHaveLength(2);
    });

    it('creates one room when many peers join a new room at the same moment', async () => {
      await start();
      const joined = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => join('fresh', id)));
      expect(server!.signaling.rooms.roomCount).toBe(1);
      expect(server!.signaling.rooms.get('fresh')!.size).toBe(5);
      // Everyone ends up knowing everyone: from the join response or a peerJoined.
      for (const client of joined) {
        const known = new Set([...client.joined!.peers.map((peer) => peer.id)]);
        await waitFor(() => {
          for (const n of client.received) if (n.method === 'peerJoined') known.add(n.data.peer.id);
          return known.size === 4;
        }, 3000, `${client.peerId} to know all peers`);
      }
    });

    it('refuses a second join on the same connection and a join without a room id', async () => {
      await start();
      const alice = await join('room1', 'alice');
      await expect(alice.peer.request('join', { displayName: 'again' })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
      const lobby = await TestClient.connect(server!, { peerId: 'lobby1' });
      clients.push(lobby);
      await expect(lobby.peer.request('join', { displayName: 'x' })).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    });

    it('answers requests before join with NOT_JOINED', async () => {
      await start();
      const early = await TestClient.connect(server!, { roomId: 'room1', peerId: 'early' });
      clients.push(early);
      await expect(early.peer.request('chat', { text: 'hi' })).rejects.toMatchObject({ code: ErrorCode.NOT_JOINED });
      await expect(early.peer.request('ping', {})).resolves.toMatchObject({ serverTime: expect.any(Number) });
    });

    it('refuses a join over the room limit with ROOM_FULL, disturbing no one', async () => {
      await start({ MAX_PEERS_PER_ROOM: '2' });
      const alice = await join('small', 'alice');
      const bob = await join('small', 'bob');
      const carol = await TestClient.connect(server!, { roomId: 'small', peerId: 'carol' });
      clients.push(carol);
      const error = await carol.peer.request('join', { displayName: 'carol' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: ErrorCode.ROOM_FULL, message: 'room is full (2 of 2)' });
      await sleep(50);
      expect(alice.methods()).toEqual(['peerJoined']);
      expect(bob.methods()).toEqual([]);
      expect(server!.signaling.rooms.get('small')!.size).toBe(2);
    });

    it('refuses a new room over MAX_ROOMS with SERVER_FULL', async () => {
      await start({ MAX_ROOMS: '1' });
      await join('one', 'alice');
      const other = await TestClient.connect(server!, { roomId: 'two', peerId: 'bob' });
      clients.push(other);
      await expect(other.peer.request('join', { displayName: 'bob' })).rejects.toMatchObject({ code: ErrorCode.SERVER_FULL });
      expect(server!.signaling.rooms.roomCount).toBe(1);
    });

    it('closes a connection that does not join in time', async () => {
      await start({ JOIN_TIMEOUT_MS: '200' });
      const idle = await TestClient.connect(server!, { roomId: 'room1', peerId: 'idle' });
      clients.push(idle);
      const [info] = await nextEvent(idle.peer, 'close', 3000);
      expect(info).toEqual({ code: 4000, reason: 'join timeout' });
    });

    it('keeps the connections that joined in time, and times out later idle ones too', async () => {
      await start({ JOIN_TIMEOUT_MS: '200' });
      const early = await TestClient.connect(server!, { roomId: 'room1', peerId: 'early' });
      clients.push(early);
      const alice = await join('room1', 'alice');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const late = await TestClient.connect(server!, { roomId: 'room1', peerId: 'late' });
      clients.push(late);
      const [[earlyClosed], [lateClosed]] = await Promise.all([nextEvent(early.peer, 'close', 3000), nextEvent(late.peer, 'close', 3000)]);
      expect(earlyClosed).toEqual({ code: 4000, reason: 'join timeout' });
      expect(lateClosed).toEqual({ code: 4000, reason: 'join timeout' });
      expect(alice.peer.closed).toBe(false);
      await expect(alice.peer.request('ping', {})).resolves.toMatchObject({ serverTime: expect.any(Number) });
    });
  });

  describe('chat', () => {
    it('fans out to the room, stamps the message, and keeps history for late joiners', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const carol = await join('room1', 'carol');
      const { message } = await alice.peer.request('chat', { text: '  hello\u0007 all\n ' });
      expect(message).toMatchObject({ from: 'alice', fromName: 'alice', text: 'hello all', seq: 1, id: expect.any(String), ts: expect.any(Number) });
      expect((await bob.next('chat')).message).toEqual(message);
      expect((await carol.next('chat')).message).toEqual(message);
      await sleep(30);
      expect(alice.methods()).not.toContain('chat');

      await bob.peer.request('chat', { text: 'psst', to: 'carol' });
      await bob.peer.request('chat', { text: 'second' });
      const dave = await join('room1', 'dave');
      expect(dave.joined!.chat.map((m) => m.text)).toEqual(['hello all', 'second']);
    });

    it('delivers a private message only to its target (the sender gets it in the response)', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const carol = await join('room1', 'carol');
      const { message } = await alice.peer.request('chat', { text: 'just you', to: 'bob' });
      expect(message).toMatchObject({ to: 'bob', text: 'just you' });
      expect((await bob.next('chat')).message).toEqual(message);
      await sleep(50);
      expect(carol.methods()).not.toContain('chat');
      await expect(alice.peer.request('chat', { text: 'x', to: 'nobody' })).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_PEER });
      await expect(alice.peer.request('chat', { text: 'x', to: 'alice' })).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    });

    it('gives every message its own id, across rooms and when an emptied room id is used again', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const bob = await join('room2', 'bob');
      const ids = [
        (await alice.peer.request('chat', { text: 'one' })).message.id,
        (await alice.peer.request('chat', { text: 'two' })).message.id,
        (await bob.peer.request('chat', { text: 'other room' })).message.id,
      ];
      await alice.peer.request('leave', {});
      const again = await join('room1', 'carol');
      const { message } = await again.peer.request('chat', { text: 'room1 again' });
      expect(message.seq).toBe(1);
      ids.push(message.id);
      expect(new Set(ids).size).toBe(4);
    });

    it('keeps only the configured number of history messages', async () => {
      await start({ CHAT_HISTORY_SIZE: '3' });
      const alice = await join('room1', 'alice');
      for (let i = 1; i <= 5; i++) await alice.peer.request('chat', { text: `m${i}` });
      const bob = await join('room1', 'bob');
      expect(bob.joined!.chat.map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
    });
  });

  describe('presence, display name and fields', () => {
    it("sends the others a delta for that peer only", async () => {
      await start();
      const alice = await join('room1', 'alice', { fields: { muted: false, hand: false } });
      const bob = await join('room1', 'bob');
      await alice.peer.request('setPresence', { show: 'dnd', status: 'in a meeting' });
      expect(await bob.next('peerUpdated', (d) => 'presence' in d.changes)).toEqual({
        peerId: 'alice',
        changes: { presence: { show: 'dnd', status: 'in a meeting' } },
      });
      await alice.peer.request('setDisplayName', { displayName: 'Alice Liddell' });
      expect(await bob.next('peerUpdated', (d) => 'displayName' in d.changes)).toEqual({ peerId: 'alice', changes: { displayName: 'Alice Liddell' } });
      const { fields } = await alice.peer.request('setFields', { fields: { muted: true, hand: null, screen: 'on' } });
      expect(fields).toEqual({ muted: true, screen: 'on' });
      expect(await bob.next('peerUpdated', (d) => 'fields' in d.changes)).toEqual({ peerId: 'alice', changes: { fields: { muted: true, screen: 'on' } } });
      const carol = await join('room1', 'carol');
      expect(carol.joined!.peers.find((p) => p.id === 'alice')).toMatchObject({
        displayName: 'Alice Liddell',
        presence: { show: 'dnd', status: 'in a meeting' },
        fields: { muted: true, screen: 'on' },
      });
    });

    it('leaves fields unchanged when an update would make them too large', async () => {
      await start();
      const alice = await join('room1', 'alice', { fields: { a: 'x'.repeat(1500) } });
      const bob = await join('room1', 'bob');
      await expect(alice.peer.request('setFields', { fields: { b: 'y'.repeat(1000) } })).rejects.toMatchObject({ code: ErrorCode.TOO_LARGE });
      await sleep(30);
      expect(bob.methods()).not.toContain('peerUpdated');
      const carol = await join('room1', 'carol');
      expect(carol.joined!.peers.find((p) => p.id === 'alice')!.fields).toEqual({ a: 'x'.repeat(1500) });
    });
  });

  describe('WebRTC signal relay', () => {
    it('relays offer, answer, candidate, reject and hangup to one peer, stamping the sender', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const carol = await join('room1', 'carol');
      const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n';
      await alice.peer.request('offer', { to: 'bob', description: { type: 'offer', sdp } });
      expect(await bob.next('offer')).toEqual({ from: 'alice', description: { type: 'offer', sdp } });
      await bob.peer.request('answer', { to: 'alice', description: { type: 'answer', sdp } });
      expect(await alice.next('answer')).toEqual({ from: 'bob', description: { type: 'answer', sdp } });
      const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
      await alice.peer.request('candidate', { to: 'bob', candidate });
      expect(await bob.next('candidate')).toEqual({ from: 'alice', candidate });
      await alice.peer.request('candidate', { to: 'bob', candidate: null });
      expect(await bob.next('candidate', (d) => d.candidate === null)).toEqual({ from: 'alice', candidate: null });
      await bob.peer.request('reject', { to: 'alice', reason: 'busy' });
      expect(await alice.next('reject')).toEqual({ from: 'bob', reason: 'busy' });
      await alice.peer.request('hangup', { to: 'bob' });
      expect(await bob.next('hangup')).toEqual({ from: 'alice' });
      await bob.peer.request('hangup', { to: 'alice', reason: 'reset' });
      expect(await alice.next('hangup')).toEqual({ from: 'bob', reason: 'reset' });
      await sleep(30);
      expect(carol.methods().filter((m) => m !== 'peerJoined')).toEqual([]);
    });

    it('refuses a signal to a peer of another room and relays nothing across rooms', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const mallory = await join('room2', 'mallory');
      await expect(mallory.peer.request('offer', { to: 'alice', description: { type: 'offer', sdp: 'v=0' } })).rejects.toMatchObject({
        code: ErrorCode.UNKNOWN_PEER,
        message: 'no peer "alice" in this room',
      });
      await mallory.peer.request('chat', { text: 'anyone?' });
      await mallory.peer.request('appMessage', { data: { x: 1 } });
      await sleep(50);
      expect(alice.methods()).toEqual([]);
    });

    it('ignores any sender the client claims', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      await expect(alice.peer.request('hangup', { to: 'bob', from: 'carol' } as never)).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
      await alice.peer.request('appMessage', { to: 'bob', data: { from: 'carol' } });
      expect(await bob.next('appMessage')).toEqual({ from: 'alice', to: 'bob', data: { from: 'carol' } });
    });
  });

  describe('app messages', () => {
    it('go to one peer or to the whole room', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const carol = await join('room1', 'carol');
      await alice.peer.request('appMessage', { data: { kind: 'reaction', emoji: '👍' } });
      expect(await bob.next('appMessage')).toEqual({ from: 'alice', data: { kind: 'reaction', emoji: '👍' } });
      expect(await carol.next('appMessage')).toEqual({ from: 'alice', data: { kind: 'reaction', emoji: '👍' } });
      await alice.peer.request('appMessage', { to: 'carol', data: 'just a string' });
      expect(await carol.next('appMessage', (d) => d.to === 'carol')).toEqual({ from: 'alice', to: 'carol', data: 'just a string' });
    });
  });

  describe('leave', () => {
    it('tells the others, closes the connection for good, and forgets an empty room', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const closed = nextEvent(bob.peer, 'close');
      await bob.peer.request('leave', {});
      expect(await alice.next('peerLeft')).toEqual({ peerId: 'bob', reason: 'left' });
      expect((await closed)[0]).toEqual({ code: 4000, reason: 'left' });
      const closedAlice = nextEvent(alice.peer, 'close');
      await alice.peer.request('leave', {});
      await closedAlice;
      expect(server!.signaling.rooms.roomCount).toBe(0);
    });
  });

  describe('reconnect grace', () => {
    it('shows a dropped peer as reconnecting, then resumes it with no leave/join churn and replays what it missed', async () => {
      await start({ RECONNECT_GRACE_MS: '5000' });
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const carol = await join('room1', 'carol');
      const token = bob.joined!.resumeToken;
      bob.close(); // like a page reload: the socket goes away without leave
      expect(await alice.next('peerUpdated')).toEqual({ peerId: 'bob', changes: { connection: 'reconnecting' } });

      // While bob is away: public chat (in history), a private message and signals (replayed), a state change (in the snapshot).
      await alice.peer.request('chat', { text: 'public while away' });
      await alice.peer.request('chat', { text: 'private while away', to: 'bob' });
      await alice.peer.request('offer', { to: 'bob', description: { type: 'offer', sdp: 'v=0 restart' } });
      await carol.peer.request('appMessage', { to: 'bob', data: { n: 1 } });
      await carol.peer.request('setPresence', { show: 'away' });
      // Someone joining meanwhile sees bob as reconnecting.
      const dave = await join('room1', 'dave');
      expect(dave.joined!.peers.find((p) => p.id === 'bob')!.connection).toBe('reconnecting');

      const bob2 = await TestClient.connect(server!, { roomId: 'room1', peerId: 'bob' });
      clients.push(bob2);
      const resumed = await bob2.peer.request('join', { displayName: 'bob', resumeToken: token });
      expect(resumed).toMatchObject({ resumed: true, resumeToken: token, self: { id: 'bob', connection: 'connected' } });
      expect(resumed.self.joinedAt).toBe(bob.joined!.self.joinedAt);
      expect(resumed.chat.map((m) => m.text)).toEqual(['public while away', 'private while away']);
      expect(resumed.peers.find((p) => p.id === 'carol')!.presence).toEqual({ show: 'away' });
      expect((await bob2.next('chat')).message.text).toBe('private while away');
      expect(await bob2.next('offer')).toEqual({ from: 'alice', description: { type: 'offer', sdp: 'v=0 restart' } });
      expect(await bob2.next('appMessage')).toEqual({ from: 'carol', to: 'bob', data: { n: 1 } });
      expect(bob2.methods()).toEqual(['chat', 'offer', 'appMessage']);

      expect(await alice.next('peerUpdated', (d) => d.changes.connection === 'connected')).toEqual({ peerId: 'bob', changes: { connection: 'connected' } });
      await sleep(50);
      for (const other of [alice, carol]) {
        expect(other.methods()).not.toContain('peerLeft');
        // bob and carol, then dave (who joined while bob was away); never bob again.
        expect(other.methods().filter((m) => m === 'peerJoined').length).toBeLessThanOrEqual(3);
      }
      expect((await join('room1', 'erin')).joined!.peers.find((p) => p.id === 'bob')!.connection).toBe('connected');
    });

    it('resumes automatically after a network drop when the client rejoins with its token on reconnect', async () => {
      await start({ RECONNECT_GRACE_MS: '5000' });
      proxy = await startTcpProxy(server!.port);
      const alice = await join('room1', 'alice');
      const bob = await TestClient.connect(proxy, { roomId: 'room1', peerId: 'bob', transport: { retry: { retries: 5, minTimeout: 50, maxTimeout: 100 } } });
      clients.push(bob);
      const first = await bob.peer.request('join', { displayName: 'bob' });
      bob.peer.on('open', () => void bob.peer.request('join', { displayName: 'bob', resumeToken: first.resumeToken }));
      await alice.next('peerJoined');
      proxy.cut();
      await alice.next('peerUpdated', (d) => d.changes.connection === 'reconnecting');
      await alice.peer.request('chat', { text: 'missed', to: 'bob' });
      await alice.next('peerUpdated', (d) => d.changes.connection === 'connected');
      expect((await bob.next('chat')).message.text).toBe('missed');
      expect(alice.methods()).not.toContain('peerLeft');
    });

    it('takes the name, presence and fields a resuming join states: the others get what changed, once', async () => {
      await start({ RECONNECT_GRACE_MS: '5000' });
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob', { displayName: 'Bob', fields: { videoMuted: false, screenStream: null, note: 'x' } });
      // Bob's state changed while his socket was dead (a setFields written into it was lost):
      // his next join says how it is now.
      const bob2 = await join('room1', 'bob', {
        displayName: 'Bob B.',
        presence: { show: 'away' },
        fields: { videoMuted: false, screenStream: 'screen-1', note: null },
        resumeToken: bob.joined!.resumeToken,
      });
      expect(bob2.joined!.resumed).toBe(true);
      expect(bob2.joined!.self).toMatchObject({ displayName: 'Bob B.', presence: { show: 'away' }, fields: { videoMuted: false, screenStream: 'screen-1' } });
      expect(await alice.next('peerUpdated')).toEqual({
        peerId: 'bob',
        changes: { displayName: 'Bob B.', presence: { show: 'away' }, fields: { videoMuted: false, screenStream: 'screen-1' } },
      });
      // Without presence or fields the join keeps them; the same state changes nothing.
      const bob3 = await join('room1', 'bob', { displayName: 'Bob B.', resumeToken: bob.joined!.resumeToken });
      expect(bob3.joined!.self).toMatchObject({ displayName: 'Bob B.', presence: { show: 'away' }, fields: { videoMuted: false, screenStream: 'screen-1' } });
      const carol = await join('room1', 'carol');
      expect(carol.joined!.peers.find((p) => p.id === 'bob')).toMatchObject({ displayName: 'Bob B.', fields: { screenStream: 'screen-1' } });
      expect(alice.methods().filter((m) => m === 'peerUpdated')).toHaveLength(1);
    });

    it('gives a resuming peer its private messages, sent and received, with the public ones; nobody else gets them', async () => {
      await start({ RECONNECT_GRACE_MS: '5000' });
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const carol = await join('room1', 'carol');
      // Delivered to a socket that looked alive: if it had died silently, only a resume can bring them back.
      await alice.peer.request('chat', { text: 'to bob', to: 'bob' });
      await alice.peer.request('chat', { text: 'to all' });
      await bob.peer.request('chat', { text: 'to alice', to: 'alice' });
      await carol.peer.request('chat', { text: 'carol to alice', to: 'alice' });
      const texts = (client: TestClient) => client.joined!.chat.map((m) => m.text);
      const bob2 = await join('room1', 'bob', { resumeToken: bob.joined!.resumeToken });
      expect(texts(bob2)).toEqual(['to bob', 'to all', 'to alice']);
      const alice2 = await join('room1', 'alice', { resumeToken: alice.joined!.resumeToken });
      expect(texts(alice2)).toEqual(['to bob', 'to all', 'to alice', 'carol to alice']);
      expect(texts(await join('room1', 'dave'))).toEqual(['to all']);
      // A fresh identity after the grace is someone else: it gets only the public history.
      await bob2.peer.request('leave', {});
      expect(texts(await join('room1', 'bob'))).toEqual(['to all']);
    });

    it('keeps at most as many private messages per peer as the history keeps, and at most 50', async () => {
      await start({ RECONNECT_GRACE_MS: '5000', CHAT_HISTORY_SIZE: '3' });
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      for (let n = 1; n <= 5; n++) await alice.peer.request('chat', { text: `#${n}`, to: 'bob' });
      const bob2 = await join('room1', 'bob', { resumeToken: bob.joined!.resumeToken });
      expect(bob2.joined!.chat.map((m) => m.text)).toEqual(['#3', '#4', '#5']);
      await server!.close();
      await start({ RECONNECT_GRACE_MS: '5000', REQUESTS_PER_SECOND: '1000' });
      const carol = await join('room1', 'carol');
      const dave = await join('room1', 'dave');
      for (let n = 1; n <= 55; n++) await carol.peer.request('chat', { text: `#${n}`, to: 'dave' });
      const dave2 = await join('room1', 'dave', { resumeToken: dave.joined!.resumeToken });
      expect(dave2.joined!.chat.map((m) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `#${i + 6}`));
    });

    it('keeps no private messages when the history is off', async () => {
      await start({ RECONNECT_GRACE_MS: '5000', CHAT_HISTORY_SIZE: '0' });
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      await alice.peer.request('chat', { text: 'not kept', to: 'bob' });
      expect((await join('room1', 'bob', { resumeToken: bob.joined!.resumeToken })).joined!.chat).toEqual([]);
    });

    it('removes the peer when the grace runs out', async () => {
      await start({ RECONNECT_GRACE_MS: '200' });
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      bob.close();
      await alice.next('peerUpdated');
      expect(await alice.next('peerLeft', () => true, 3000)).toEqual({ peerId: 'bob', reason: 'timedOut' });
      // A later join with the old token is a fresh identity.
      const bob2 = await join('room1', 'bob', { resumeToken: bob.joined!.resumeToken });
      expect(bob2.joined!.resumed).toBe(false);
      expect(bob2.joined!.resumeToken).not.toBe(bob.joined!.resumeToken);
    });

    it('refuses the peer id with a wrong or missing token (no hijacking), and closes that connection', async () => {
      await start({ RECONNECT_GRACE_MS: '5000' });
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const token = bob.joined!.resumeToken;
      const oneCharOff = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
      for (const resumeToken of [undefined, 'wrong-token', oneCharOff]) {
        const thief = await TestClient.connect(server!, { roomId: 'room1', peerId: 'bob' });
        clients.push(thief);
        const closed = nextEvent(thief.peer, 'close');
        await expect(thief.peer.request('join', { displayName: 'thief', ...(resumeToken ? { resumeToken } : {}) })).rejects.toMatchObject({
          code: ErrorCode.FORBIDDEN,
        });
        expect((await closed)[0]).toMatchObject({ code: 4000 });
      }
      // The real bob is untouched.
      await bob.peer.request('chat', { text: 'still me' });
      expect((await alice.next('chat')).message.from).toBe('bob');
      expect(alice.methods()).not.toContain('peerUpdated');
    });

    it('replaces a still-open connection when the same identity resumes (a reload racing the old socket)', async () => {
      await start({ RECONNECT_GRACE_MS: '5000' });
      const alice = await join('room1', 'alice');
      const bob = await join('room1', 'bob');
      const oldClosed = nextEvent(bob.peer, 'close');
      const bob2 = await join('room1', 'bob', { resumeToken: bob.joined!.resumeToken });
      expect(bob2.joined!.resumed).toBe(true);
      expect((await oldClosed)[0]).toEqual({ code: 4000, reason: 'replaced by a newer connection' });
      await sleep(50);
      expect(alice.methods()).toEqual(['peerJoined']);
      await alice.peer.request('chat', { text: 'hi bob', to: 'bob' });
      expect((await bob2.next('chat')).message.text).toBe('hi bob');
    });
  });

  describe('room list', () => {
    it('lists rooms with participant counts and pushes changes to lobby connections', async () => {
      await start();
      const lobby = await TestClient.connect(server!, { peerId: 'lobby1' });
      clients.push(lobby);
      await join('alpha', 'a1');
      await join('alpha', 'a2');
      await join('beta', 'b1');
      await expect(lobby.peer.request('getRoomList', {})).resolves.toEqual({
        rooms: [
          { id: 'alpha', peerCount: 2 },
          { id: 'beta', peerCount: 1 },
        ],
      });
      expect(await lobby.next('roomList', (d) => d.rooms.length === 2 && d.rooms[0]!.peerCount === 2)).toBeDefined();
    });

    it('can be turned off', async () => {
      await start({ ROOM_LIST_ENABLED: 'false' });
      const lobby = await TestClient.connect(server!, { peerId: 'lobby1' });
      clients.push(lobby);
      await expect(lobby.peer.request('getRoomList', {})).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    });
  });

  describe('ICE config', () => {
    it('mints TURN credentials per peer with an expiry and refreshes them on getIceConfig', async () => {
      await start({ STUN_URLS: 'stun:127.0.0.1:3478', TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: 'secret', TURN_TTL_SECONDS: '600' });
      const alice = await join('room1', 'alice');
      const { iceConfig } = alice.joined!;
      expect(iceConfig.iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
      expect(iceConfig.iceServers[1]).toMatchObject({ urls: ['turn:127.0.0.1:3478'], username: expect.stringMatching(/^\d+:alice$/) });
      expect(iceConfig.expiresAt).toBeGreaterThan(Date.now() + 590_000);
      const fresh = await alice.peer.request('getIceConfig', {});
      expect(fresh.iceServers[1]).toMatchObject({ username: expect.stringMatching(/^\d+:alice$/) });
      expect(fresh.expiresAt).toBeGreaterThanOrEqual(iceConfig.expiresAt!);
    });
  });

  describe('shutdown', () => {
    it('notifies peers that the server is closing', async () => {
      await start();
      const alice = await join('room1', 'alice');
      const closing = alice.next('serverClosing');
      await server!.close('restart');
      expect(await closing).toEqual({ reason: 'restart' });
    });
  });

  it('lets the official protoo-client join, chat and receive notifications', async () => {
    await start();
    const alice = await join('room1', 'alice');
    const official = new protooClient.Peer(new protooClient.WebSocketTransport(TestClient.url(server!, { roomId: 'room1', peerId: 'legacy' }), { retry: { retries: 0 } }));
    const notifications: { method: string; data: unknown }[] = [];
    official.on('notification', (n) => notifications.push(n));
    await new Promise<void>((resolve) => official.on('open', resolve));
    const joined = (await official.request('join', { displayName: 'Legacy' })) as { peers: { id: string }[] };
    expect(joined.peers.map((p) => p.id)).toEqual(['alice']);
    await official.request('chat', { text: 'from the official client' });
    expect((await alice.next('chat')).message).toMatchObject({ from: 'legacy', text: 'from the official client' });
    await alice.peer.request('chat', { text: 'hello legacy' });
    await waitFor(() => notifications.some((n) => n.method === 'chat'), 2000, 'chat at the official client');
    const error = (await official.request('chat', { text: '' }).catch((e: unknown) => e)) as { code: number };
    expect(error.code).toBe(ErrorCode.BAD_REQUEST);
    official.close();
  });
});
