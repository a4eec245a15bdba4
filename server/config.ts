/**
 * config: every server setting, read from the environment once and validated. A bad
 * value stops start-up with one message naming the variable and what it accepts.
 * docs/configuration.md lists them all; keep it in step with this file.
 */
import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from '../lib/signaling/protocol';
import type { IceSettings } from './ice';

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

const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], 'must be true or false'))
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

/** A comma-separated list; blanks dropped. */
function list(item: z.ZodString) {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));
}

const iceUrl = (schemes: string[]) =>
  z.string().refine((url) => schemes.some((scheme) => url.startsWith(`${scheme}:`)), `each URL must start with ${schemes.join(': or ')}:`);

const schema = z
  .object({
    PORT: integer(0, 65535).default(3000),
    HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
    NODE_ENV: z.enum(['development', 'production', 'test'], 'must be development, production or test').default('development'),
    LOG_LEVEL: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).default('info'),
    HEARTBEAT_INTERVAL_MS: integer(1000, 600_000).default(10_000),
    MAX_FRAME_BYTES: integer(1024, 16 * 1024 * 1024).default(960_000),
    SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
    HANDSHAKE_TIMEOUT_MS: integer(100, 120_000).default(10_000),
    JOIN_TIMEOUT_MS: integer(100, 600_000).default(10_000),
    RECONNECT_GRACE_MS: integer(0, 600_000).default(15_000),
    MAX_PEERS_PER_ROOM: integer(2, 50).default(DEFAULT_LIMITS.maxPeersPerRoom),
    MAX_ROOMS: integer(1, 1_000_000).default(1000),
    MAX_CONNECTIONS: integer(1, 1_000_000).default(10_000),
    MAX_CHAT_LENGTH: integer(1, 100_000).default(DEFAULT_LIMITS.maxChatLength),
    CHAT_HISTORY_SIZE: integer(0, 10_000).default(DEFAULT_LIMITS.chatHistorySize),
    REQUESTS_PER_SECOND: integer(1, 100_000).default(20),
    SIGNALS_PER_SECOND: integer(1, 100_000).default(100),
    ROOM_LIST_ENABLED: boolean.default(true),
    ALLOWED_ORIGINS: list(z.string()).default([]),
    STUN_URLS: list(iceUrl(['stun', 'stuns'])).default([]),
    TURN_URLS: list(iceUrl(['turn', 'turns'])).default([]),
    TURN_SECRET: z.string().min(1).optional(),
    TURN_USERNAME: z.string().min(1).optional(),
    TURN_PASSWORD: z.string().min(1).optional(),
    TURN_TTL_SECONDS: integer(60, 7 * 24 * 3600).default(3600),
    ICE_TRANSPORT_POLICY: z.enum(['all', 'relay'], 'must be all or relay').default('all'),
    METRICS_ENABLED: boolean.default(false),
  })
  .superRefine((value, ctx) => {
    const fail = (path: string, message: string): void => void ctx.addIssue({ code: 'custom', path: [path], message });
    const staticTurn = value.TURN_USERNAME !== undefined || value.TURN_PASSWORD !== undefined;
    if (value.TURN_URLS.length > 0 && !value.TURN_SECRET && !(value.TURN_USERNAME && value.TURN_PASSWORD)) {
      fail('TURN_URLS', 'needs TURN_SECRET, or TURN_USERNAME and TURN_PASSWORD');
    }
    if (value.TURN_SECRET && staticTurn) fail('TURN_SECRET', 'set either TURN_SECRET or TURN_USERNAME/TURN_PASSWORD, not both');
    if (staticTurn && !(value.TURN_USERNAME && value.TURN_PASSWORD)) fail('TURN_USERNAME', 'TURN_USERNAME and TURN_PASSWORD go together');
    if (value.ICE_TRANSPORT_POLICY === 'relay' && value.TURN_URLS.length === 0) fail('ICE_TRANSPORT_POLICY', 'relay needs TURN_URLS');
  });

export interface Config {
  port: number;
  host: string;
  dev: boolean;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: (typeof LOG_LEVELS)[number];
  heartbeatIntervalMs: number;
  maxFrameBytes: number;
  shutdownTimeoutMs: number;
  handshakeTimeoutMs: number;
  joinTimeoutMs: number;
  reconnectGraceMs: number;
  maxRooms: number;
  maxConnections: number;
  limits: Limits;
  rateLimits: { requestsPerSecond: number; signalsPerSecond: number };
  roomListEnabled: boolean;
  allowedOrigins: string[];
  ice: IceSettings;
  metricsEnabled: boolean;
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
    handshakeTimeoutMs: value.HANDSHAKE_TIMEOUT_MS,
    joinTimeoutMs: value.JOIN_TIMEOUT_MS,
    reconnectGraceMs: value.RECONNECT_GRACE_MS,
    maxRooms: value.MAX_ROOMS,
    maxConnections: value.MAX_CONNECTIONS,
    limits: {
      ...DEFAULT_LIMITS,
      maxPeersPerRoom: value.MAX_PEERS_PER_ROOM,
      maxChatLength: value.MAX_CHAT_LENGTH,
      chatHistorySize: value.CHAT_HISTORY_SIZE,
    },
    rateLimits: { requestsPerSecond: value.REQUESTS_PER_SECOND, signalsPerSecond: value.SIGNALS_PER_SECOND },
    roomListEnabled: value.ROOM_LIST_ENABLED,
    allowedOrigins: value.ALLOWED_ORIGINS,
    ice: {
      stunUrls: value.STUN_URLS,
      turnUrls: value.TURN_URLS,
      turnSecret: value.TURN_SECRET,
      turnUsername: value.TURN_USERNAME,
      turnPassword: value.TURN_PASSWORD,
      turnTtlSeconds: value.TURN_TTL_SECONDS,
      iceTransportPolicy: value.ICE_TRANSPORT_POLICY,
    },
    metricsEnabled: value.METRICS_ENABLED,
  };
}
