/**
 * coturn for tests: starts Debian's `turnserver` on 127.0.0.1 with a free port and the
 * TURN REST shared secret (`use-auth-secret`), and stops it again. Used by the server
 * tests and the browser tests; `coturnAvailable()` tells whether the binary exists.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Coturn {
  port: number;
  secret: string;
  realm: string;
  /** `turn:127.0.0.1:<port>` */
  url: string;
  /** Freezes the server (SIGSTOP): its relays stop forwarding, like a network outage. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export function coturnAvailable(): boolean {
  return spawnSync('turnserver', ['--version'], { stdio: 'ignore' }).status === 0;
}

export function turnutilsAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v turnutils_uclient'], { stdio: 'ignore' }).status === 0;
}

/** A port free for both TCP and UDP on 127.0.0.1. */
async function freeTcpUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free TCP+UDP port found');
}

/** Waits until something answers on the TCP port. */
async function waitForPort(port: number, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`turnserver exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`turnserver did not listen on ${port} within ${ms} ms`);
}

export async function startCoturn(options: { secret?: string; realm?: string } = {}): Promise<Coturn> {
  const secret = options.secret ?? randomBytes(16).toString('hex');
  const realm = options.realm ?? 'confab.test';
  const port = await freeTcpUdpPort();
  const dir = mkdtempSync(path.join(tmpdir(), 'confab-coturn-'));
  const child = spawn(
    'turnserver',
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      `--realm=${realm}`,
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--allow-loopback-peers',
      `--pidfile=${path.join(dir, 'turnserver.pid')}`,
      `--userdb=${path.join(dir, 'turnserver.db')}`,
      '--log-file=stdout',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 10_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return {
    port,
    secret,
    realm,
    url: `turn:127.0.0.1:${port}`,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGCONT');
      await stop();
    },
  };
}

/** Runs coturn's own client: one allocation plus a relayed round trip. Resolves with its exit code. */
export function turnAllocate(port: number, username: string, password: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('turnutils_uclient', ['-p', String(port), '-u', username, '-w', password, '-n', '1', '-m', '1', '-c', '-y', '127.0.0.1'], {
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}
