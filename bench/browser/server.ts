/**
 * The production server for the browser benchmark, started the way `npm start` starts
 * it (scripts/start.mjs builds when the build is stale, then serves the bundled server)
 * on a free port of 127.0.0.1. `stop()` sends SIGTERM, as an operator would.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../e2e/appServer';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A first build on two cores takes a few minutes; serving takes about a second after it. */
const START_TIMEOUT_MS = 15 * 60_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_KEPT = 8_000;
/** Another process may take the free port before our server binds it (other tests run here too). */
const ATTEMPTS = 3;

export interface ProductionServer {
  baseURL: string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s); safe to call twice. */
  stop(): Promise<void>;
}

export async function startProductionServer(log: (line: string) => void): Promise<ProductionServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(log);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === ATTEMPTS) throw error;
      log(`  ${error.message}; trying another port`);
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(log: (line: string) => void): Promise<ProductionServer> {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--max-semi-space-size=8', 'scripts/start.mjs'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  server: ${line.trimEnd()}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      if (output.includes('EADDRINUSE')) throw new PortTakenError(`port ${port} was taken by another process`);
      throw new Error(`The Confab server exited (${child.exitCode}) before it was ready:\n${output}`);
    }
    const ok = await fetch(`${baseURL}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    // Only our server counts: another one may have bound the port between freePort() and our listen.
    if (ok && child.pid !== undefined && listensOn(child.pid, port) !== false) return { baseURL, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`The Confab server was not ready within ${START_TIMEOUT_MS / 60_000} min:\n${output}`);
}

/**
 * Whether process `pid` holds the TCP listener on `port` (Linux: /proc/net/tcp and the
 * process's socket descriptors); undefined where /proc cannot tell.
 */
function listensOn(pid: number, port: number): boolean | undefined {
  try {
    if (!existsSync('/proc/net/tcp')) return undefined;
    const portHex = port.toString(16).toUpperCase().padStart(4, '0');
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!existsSync(table)) continue;
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        // local_address is ADDR:PORT in hex; state 0A is LISTEN; field 9 is the inode.
        if (fields[1]?.endsWith(`:${portHex}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
      }
    }
    const descriptors = `/proc/${pid}/fd`;
    return readdirSync(descriptors).some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(path.join(descriptors, fd)))?.[1] ?? '');
      } catch {
        return false; // closed meanwhile
      }
    });
  } catch {
    return undefined;
  }
}
