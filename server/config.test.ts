import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig()', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      dev: true,
      nodeEnv: 'development',
      logLevel: 'info',
      heartbeatIntervalMs: 10_000,
      maxFrameBytes: 960_000,
      shutdownTimeoutMs: 10_000,
    });
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
  ])('rejects %o with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
