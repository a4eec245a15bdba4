/**
 * config: every server setting, read from the environment once and validated. A bad
 * value stops start-up with one message naming the variable and what it accepts.
 * docs/configuration.md lists them all; keep it in step with this file.
 */
import { z } from 'zod';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** An integer from a string, within bounds. */
function integer(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const schema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  NODE_ENV: z.enum(['development', 'production', 'test'], 'must be development, production or test').default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).default('info'),
  /** Milliseconds between WebSocket pings; a client that misses two is dropped. */
  HEARTBEAT_INTERVAL_MS: integer(1000, 600_000).default(10_000),
  /** Largest signaling frame in bytes. */
  MAX_FRAME_BYTES: integer(1024, 16 * 1024 * 1024).default(960_000),
  /** How long graceful shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
});

export type ConfigInput = z.input<typeof schema>;

export interface Config {
  port: number;
  host: string;
  dev: boolean;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: (typeof LOG_LEVELS)[number];
  heartbeatIntervalMs: number;
  maxFrameBytes: number;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most .env tooling.
  const input = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name])}: ${issue.message}`);
  }
  const value = result.data;
  return {
    port: value.PORT,
    host: value.HOST,
    dev: value.NODE_ENV === 'development',
    nodeEnv: value.NODE_ENV,
    logLevel: value.LOG_LEVEL,
    heartbeatIntervalMs: value.HEARTBEAT_INTERVAL_MS,
    maxFrameBytes: value.MAX_FRAME_BYTES,
    shutdownTimeoutMs: value.SHUTDOWN_TIMEOUT_MS,
  };
}
