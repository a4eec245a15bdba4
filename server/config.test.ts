import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig()', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dev: true,
      nodeEnv: 'development',
      logLevel: 'info',
      heartbeatIntervalMs: 10_000,
      maxFrameBytes: 960_000,
      shutdownTimeoutMs: 10_000,
      reconnectGraceMs: 15_000,
      joinTimeoutMs: 10_000,
      maxRooms: 1000,
      limits: { maxPeersPerRoom: 8, maxChatLength: 2000, chatHistorySize: 100 },
      rateLimits: { requestsPerSecond: 20, signalsPerSecond: 100 },
      roomListEnabled: true,
      allowedOrigins: [],
      ice: { stunUrls: [], turnUrls: [], iceTransportPolicy: 'all', turnTtlSeconds: 3600 },
      metricsEnabled: false,
    });
  });

  it('reads lists, booleans and the ICE settings', () => {
    const config = loadConfig({
      ALLOWED_ORIGINS: 'https://a.example, https://b.example,',
      ROOM_LIST_ENABLED: 'false',
      METRICS_ENABLED: 'yes',
      STUN_URLS: 'stun:stun.example:3478',
      TURN_URLS: 'turn:turn.example:3478?transport=udp,turns:turn.example:5349',
      TURN_SECRET: 's3cret',
      ICE_TRANSPORT_POLICY: 'relay',
      MAX_PEERS_PER_ROOM: '4',
    });
    expect(config.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.roomListEnabled).toBe(false);
    expect(config.metricsEnabled).toBe(true);
    expect(config.ice).toMatchObject({
      stunUrls: ['stun:stun.example:3478'],
      turnUrls: ['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349'],
      turnSecret: 's3cret',
      iceTransportPolicy: 'relay',
    });
    expect(config.limits.maxPeersPerRoom).toBe(4);
  });

  it('reads and converts the environment, treating empty values as unset', () => {
    const config = loadConfig({ PORT: '8080', HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn', HEARTBEAT_INTERVAL_MS: '' });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', dev: false, nodeEnv: 'production', logLevel: 'warn', heartbeatIntervalMs: 10_000 });
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid PORT="abc": must be a whole number/],
    [{ PORT: '70000' }, /^Invalid PORT="70000": must be at most 65535/],
    [{ PORT: '3.5' }, /^Invalid PORT="3.5"/],
    [{ NODE_ENV: 'staging' }, /^Invalid NODE_ENV="staging": must be development, production or test/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid LOG_LEVEL="loud": must be one of trace, debug/],
    [{ HEARTBEAT_INTERVAL_MS: '10' }, /^Invalid HEARTBEAT_INTERVAL_MS="10": must be at least 1000/],
    [{ HOST: '   ' }, /^Invalid HOST=" {3}": must not be empty/],
    [{ ROOM_LIST_ENABLED: 'maybe' }, /^Invalid ROOM_LIST_ENABLED="maybe": must be true or false/],
    [{ STUN_URLS: 'http://x' }, /^Invalid STUN_URLS="http:\/\/x": each URL must start with stun: or stuns:/],
    [{ TURN_URLS: 'turn:x' }, /^Invalid TURN_URLS="turn:x": needs TURN_SECRET, or TURN_USERNAME and TURN_PASSWORD/],
    [{ TURN_URLS: 'turn:x', TURN_SECRET: 'a', TURN_USERNAME: 'u', TURN_PASSWORD: 'p' }, /^Invalid TURN_SECRET="a": set either/],
    [{ TURN_URLS: 'turn:x', TURN_USERNAME: 'u' }, /^Invalid TURN_URLS/],
    [{ ICE_TRANSPORT_POLICY: 'relay' }, /^Invalid ICE_TRANSPORT_POLICY="relay": relay needs TURN_URLS/],
    [{ MAX_PEERS_PER_ROOM: '1' }, /^Invalid MAX_PEERS_PER_ROOM="1": must be at least 2/],
  ])('rejects %o with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
