/**
 * Wire compatibility with the official protoo 4.x packages: their client against our
 * server, and our client against their server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protooClient, { type Peer as OfficialClientPeer } from 'protoo-client';
import protooServer, { type Peer as OfficialServerPeer, type Room as OfficialRoom, type WebSocketServer as OfficialWebSocketServer } from 'protoo-server';
import { afterEach, describe, expect, it } from 'vitest';
import { Peer as ClientPeer } from './client/Peer';
import { ResponseError } from './errors';
import { Room } from './server/Room';
import { connectClient, nextEvent, startTestServer, waitFor, type TestServer } from './test-utils';

describe('interop with the official protoo packages', () => {
  describe('official protoo-client against our server', () => {
    let server: TestServer;
    let room: Room;

    afterEach(async () => {
      room.close();
      await server.close();
    });

    async function connect(): Promise<{ official: OfficialClientPeer; ours: Awaited<ReturnType<Room['createPeer']>> }> {
      server = await startTestServer();
      room = new Room();
      const created = new Promise<Awaited<ReturnType<Room['createPeer']>>>((resolve) => {
        server.wss.once('connectionrequest', (_info, accept) => void room.createPeer('official', accept()).then(resolve));
      });
      const official = new protooClient.Peer(new protooClient.WebSocketTransport(server.url, { retry: { retries: 0 } }));
      const opened = new Promise<void>((resolve) => official.once('open', () => resolve()));
      const [ours] = await Promise.all([created, opened]);
      return { official, ours };
    }

    it('gets success and error responses, code and reason intact', async () => {
      const { official, ours } = await connect();
      ours.on('request', (request, accept, reject) => {
        if (request.method === 'echo') accept({ echoed: request.data });
        else reject(404, 'no such method');
      });
      await expect(official.request('echo', { a: 1 })).resolves.toEqual({ echoed: { a: 1 } });
      const error = (await official.request('other').catch((e: unknown) => e)) as Error & { code: number };
      expect(error.message).toBe('no such method');
      expect(error.code).toBe(404);
      official.close();
    });

    it('answers our requests and exchanges notifications both ways', async () => {
      const { official, ours } = await connect();
      official.on('request', (request, accept) => accept({ got: request.method }));
      await expect(ours.request('ping', { n: 1 })).resolves.toEqual({ got: 'ping' });
      const atOfficial = new Promise<{ method: string; data: unknown }>((resolve) => official.on('notification', resolve));
      await ours.notify('news', { x: 1 });
      expect(await atOfficial).toEqual({ notification: true, method: 'news', data: { x: 1 } });
      const atOurs = nextEvent(ours, 'notification');
      await official.notify('hello', { y: 2 });
      expect((await atOurs)[0]).toEqual({ notification: true, method: 'hello', data: { y: 2 } });
      official.close();
    });

    it('closes on both sides: our close reaches it as final, its close reaches us', async () => {
      const first = await connect();
      const officialClosed = new Promise<void>((resolve) => first.official.on('close', resolve));
      first.ours.close();
      await officialClosed;
      expect(first.official.closed).toBe(true);
      room.close();
      await server.close();

      const second = await connect();
      second.official.close();
      await waitFor(() => second.ours.closed, 2000, 'our peer to close');
    });
  });

  describe('our client against the official protoo-server', () => {
    let httpServer: Server;
    let wss: OfficialWebSocketServer;
    let room: OfficialRoom;

    afterEach(async () => {
      room.close();
      wss.stop();
      await new Promise((resolve) => {
        httpServer.close(resolve);
        httpServer.closeAllConnections();
      });
    });

    async function connect(): Promise<{ ours: ClientPeer; official: OfficialServerPeer }> {
      httpServer = createServer();
      await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
      wss = new protooServer.WebSocketServer(httpServer, { maxReceivedFrameSize: 960000, maxReceivedMessageSize: 960000 });
      room = new protooServer.Room();
      const created = new Promise<OfficialServerPeer>((resolve) => {
        wss.on('connectionrequest', (_info, accept) => resolve(room.createPeer('ours', accept())));
      });
      const ours = new ClientPeer(connectClient(`ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/`));
      const [official] = await Promise.all([created, nextEvent(ours, 'open')]);
      return { ours, official };
    }

    it('gets success responses, and error responses (without ok) with code and reason intact', async () => {
      const { ours, official } = await connect();
      official.on('request', (request, accept, reject) => {
        if (request.method === 'echo') accept({ echoed: request.data });
        else reject(403, 'not allowed');
      });
      await expect(ours.request('echo', { a: 1 })).resolves.toEqual({ echoed: { a: 1 } });
      const error = await ours.request('other').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error).toMatchObject({ code: 403, message: 'not allowed' });
      ours.close();
    });

    it('answers its requests (success and error) and exchanges notifications both ways', async () => {
      const { ours, official } = await connect();
      ours.on('request', (request, accept, reject) => {
        if (request.method === 'ping') accept({ pong: true });
        else reject(409, 'conflict');
      });
      await expect(official.request('ping')).resolves.toEqual({ pong: true });
      await expect(official.request('other')).rejects.toMatchObject({ message: 'conflict', code: 409 });
      const atOfficial = new Promise<{ method: string; data: unknown }>((resolve) => official.on('notification', resolve));
      await ours.notify('hello', { y: 2 });
      expect(await atOfficial).toMatchObject({ method: 'hello', data: { y: 2 } });
      const atOurs = nextEvent(ours, 'notification');
      await official.notify('news', { x: 1 });
      expect((await atOurs)[0]).toEqual({ notification: true, method: 'news', data: { x: 1 } });
      ours.close();
    });

    it('closes on both sides: its close (4000) is final for us, our close reaches it', async () => {
      const first = await connect();
      const closed = nextEvent(first.ours, 'close');
      first.official.close();
      expect((await closed)[0]).toMatchObject({ code: 4000 });
      room.close();
      wss.stop();
      await new Promise((resolve) => {
        httpServer.close(resolve);
        httpServer.closeAllConnections();
      });

      const second = await connect();
      const officialClosed = new Promise<void>((resolve) => second.official.on('close', resolve));
      second.ours.close();
      await officialClosed;
    });
  });
});
