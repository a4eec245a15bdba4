/**
 * The Confab server process: reads the configuration, starts the server, and shuts
 * down gracefully on SIGINT/SIGTERM (a second signal exits at once).
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config';
import { startServer } from './server';

function readConfig(): Config {
  // Variables already set in the environment win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Confab cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
const server = await startServer(config).catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') console.error(`Confab cannot start: port ${config.port} on ${config.host} is in use (set PORT to another port).`);
  else if (code === 'EACCES') console.error(`Confab cannot start: no permission to listen on port ${config.port} (set PORT above 1023).`);
  else if (code === 'EADDRNOTAVAIL') console.error(`Confab cannot start: HOST=${config.host} is not an address of this machine.`);
  else console.error('Confab cannot start:', error);
  process.exit(1);
});
server.logger.info({ url: server.url, mode: config.nodeEnv }, `Confab ready on ${server.url}`);

let stopping = false;
function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    server.logger.warn({ signal }, 'second signal: exiting now');
    process.exit(1);
  }
  stopping = true;
  server.logger.info({ signal }, 'shutting down');
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      server.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
