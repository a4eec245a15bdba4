import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIceConfig, turnRestCredentials, type IceSettings } from './ice';
import { coturnAvailable, startCoturn, turnAllocate, turnutilsAvailable, type Coturn } from './testing/coturn';

const base: IceSettings = { stunUrls: [], turnUrls: [], turnTtlSeconds: 3600, iceTransportPolicy: 'all' };

describe('ICE config', () => {
  it('is empty with nothing configured (LAN calls use host candidates)', () => {
    expect(createIceConfig(base, 'alice')).toEqual({ iceServers: [], iceTransportPolicy: 'all', expiresAt: null });
  });

  it('mints TURN REST credentials: username <expiry>:<peerId>, password base64(HMAC-SHA1(secret, username))', () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const config = createIceConfig({ ...base, stunUrls: ['stun:s:3478'], turnUrls: ['turn:t:3478'], turnSecret: 'sekrit', turnTtlSeconds: 600 }, 'alice', now);
    const expiry = now / 1000 + 600;
    const username = `${expiry}:alice`;
    expect(config).toEqual({
      iceServers: [
        { urls: ['stun:s:3478'] },
        { urls: ['turn:t:3478'], username, credential: createHmac('sha1', 'sekrit').update(username).digest('base64') },
      ],
      iceTransportPolicy: 'all',
      expiresAt: expiry * 1000,
    });
    expect(turnRestCredentials('sekrit', 'alice', expiry).credential).toBe(config.iceServers[1]!.credential);
    expect(turnRestCredentials('other', 'alice', expiry).credential).not.toBe(config.iceServers[1]!.credential);
  });

  it('passes static TURN credentials and the relay policy through', () => {
    const config = createIceConfig({ ...base, turnUrls: ['turn:t'], turnUsername: 'u', turnPassword: 'p', iceTransportPolicy: 'relay' }, 'bob');
    expect(config).toEqual({ iceServers: [{ urls: ['turn:t'], username: 'u', credential: 'p' }], iceTransportPolicy: 'relay', expiresAt: null });
  });
});

const haveCoturn = coturnAvailable() && turnutilsAvailable();
if (!haveCoturn) console.log('SKIPPED: TURN allocation tests need coturn (turnserver, turnutils_uclient): apt-get install coturn');

describe.skipIf(!haveCoturn)('TURN credentials against a real coturn', () => {
  let coturn: Coturn;

  beforeAll(async () => {
    coturn = await startCoturn();
  });

  afterAll(() => coturn?.stop());

  it('allocates with minted credentials', async () => {
    const [server] = createIceConfig({ ...base, turnUrls: [coturn.url], turnSecret: coturn.secret }, 'alice').iceServers;
    expect(await turnAllocate(coturn.port, server!.username!, server!.credential!)).toBe(0);
  });

  it('refuses credentials minted with a wrong secret', async () => {
    const [server] = createIceConfig({ ...base, turnUrls: [coturn.url], turnSecret: 'not-the-secret' }, 'alice').iceServers;
    expect(await turnAllocate(coturn.port, server!.username!, server!.credential!)).not.toBe(0);
  });

  it('refuses expired credentials', async () => {
    const expired = Math.floor(Date.now() / 1000) - 60;
    const { username, credential } = turnRestCredentials(coturn.secret, 'alice', expired);
    expect(await turnAllocate(coturn.port, username, credential)).not.toBe(0);
  });
});
