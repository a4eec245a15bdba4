/** logger: the server's structured (JSON) log, one pino instance per server. */
import { pino, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ name: 'confab', level: config.logLevel });
}
