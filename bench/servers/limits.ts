/**
 * Confab's capacity settings for the benchmark: raised so that they are not what is
 * measured (the rate-limit buckets are still consulted on every request).
 */
export const BENCH_LIMITS = {
  /** Per connection; the maximum config.ts accepts. */
  REQUESTS_PER_SECOND: '100000',
  SIGNALS_PER_SECOND: '100000',
  MAX_CONNECTIONS: '1000000',
  MAX_ROOMS: '1000000',
} as const;
