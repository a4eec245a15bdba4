/**
 * The protocol's plain values, without zod: ids, limits, error and close codes. The
 * browser imports these from here (protocol.ts re-exports them for the server), so
 * the schemas and zod stay out of the page's JavaScript. Types come from protocol.ts
 * with `import type`; ESLint enforces it for browser code.
 */

/** Room and peer ids: 1–64 of [A-Za-z0-9_-]. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export interface Limits {
  maxPeersPerRoom: number;
  maxDisplayNameLength: number;
  maxStatusLength: number;
  maxChatLength: number;
  chatHistorySize: number;
  /** Serialized size of one peer's public fields. */
  maxFieldsBytes: number;
  maxSdpBytes: number;
  maxCandidateBytes: number;
  /** Serialized size of an app message's data. */
  maxAppMessageBytes: number;
  /** Nesting depth of free-form JSON (fields, app message data). */
  maxJsonDepth: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxPeersPerRoom: 8,
  maxDisplayNameLength: 64,
  maxStatusLength: 128,
  maxChatLength: 2000,
  chatHistorySize: 100,
  maxFieldsBytes: 2048,
  maxSdpBytes: 100_000,
  maxCandidateBytes: 1024,
  maxAppMessageBytes: 16_384,
  maxJsonDepth: 8,
};

/** Error codes of error responses (protoo's numeric errorCode); docs/protocol.md has the table. */
export const ErrorCode = {
  BAD_REQUEST: 400,
  NOT_JOINED: 401,
  FORBIDDEN: 403,
  UNKNOWN_PEER: 404,
  UNKNOWN_METHOD: 405,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  ROOM_FULL: 486,
  INTERNAL: 500,
  SERVER_FULL: 503,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

/** Close codes the server uses, and what a client should do about them. */
export const CloseCode = {
  /** Server shutting down or restarting: reconnect with backoff. */
  GOING_AWAY: 1001,
  /** Final (protoo): do not reconnect. Reason says why (left, replaced, join timeout, refused). */
  FINAL: 4000,
} as const;
