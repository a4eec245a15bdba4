/**
 * (a) Confab's own server, signaling only (no Next), with the FULL protocol: schema
 * validation, rate limiting, resume tokens, reconnect grace, join timeout, heartbeat
 * and chat history all stay on. Only the capacity knobs are raised so that they are
 * not what the benchmark measures:
 *   REQUESTS_PER_SECOND / SIGNALS_PER_SECOND = 100000 (the maximum; per connection, the
 *     buckets are still consulted on every request), MAX_CONNECTIONS / MAX_ROOMS = 1000000.
 * Anything else comes from the environment (NODE_ENV defaults to production here).
 *
 *   node --import tsx bench/servers/confab.ts      # prints "confab listening 127.0.0.1:<port>"
 */
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/server';
import { runChild } from './child';
import { BENCH_LIMITS } from './limits';

runChild('confab', async () => {
  const env = { ...process.env, NODE_ENV: (process.env.NODE_ENV as string | undefined) ?? 'production', ...BENCH_LIMITS, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' };
  const server = await startServer(loadConfig(env), { next: false });
  return { port: server.port, close: () => server.close('benchmark over') };
});
