/**
 * The app protocol on top of protoo: every request the browser sends and every
 * notification the server sends, as zod schemas (validated by the server) and the
 * TypeScript types derived from them (used by both sides).
 */
import { z } from 'zod';

export const requestSchemas = {
  /** Round-trip check; answers with the server's clock. */
  ping: {
    data: z.object({}).strict(),
    response: z.object({ serverTime: z.number() }),
  },
} as const;

export const notificationSchemas = {
  /** The server is shutting down; clients reconnect with backoff. */
  serverClosing: z.object({ reason: z.string() }),
} as const;

type RequestSchemas = typeof requestSchemas;
type NotificationSchemas = typeof notificationSchemas;

export type RequestName = keyof RequestSchemas;

/** What the browser sends. */
export type ClientSends = {
  requests: { [M in RequestName]: { data: z.input<RequestSchemas[M]['data']>; response: z.output<RequestSchemas[M]['response']> } };
  notifications: Record<never, never>;
};

/** What the server sends. */
export type ServerSends = {
  requests: Record<never, never>;
  notifications: { [M in keyof NotificationSchemas]: z.output<NotificationSchemas[M]> };
};
