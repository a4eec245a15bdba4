/**
 * The part every benchmark server child shares: once its server listens it prints
 * `listening 127.0.0.1:<port>` and, when started with an IPC channel (by
 * bench/lib/server-process.ts), reports `{ type: 'ready', port }`. Over IPC it then
 * answers `stats` (its own process.cpuUsage() and memoryUsage(), after a forced GC when
 * asked and started with --expose-gc) and `shutdown` (close the server, exit 0, which
 * also writes a --cpu-prof profile). It exits when the parent goes away.
 */

export interface StartedServer {
  port: number;
  close(): Promise<void>;
}

export type ParentMessage = { type: 'stats'; id: number; gc: boolean } | { type: 'shutdown' };

export interface ChildStats {
  /** process.cpuUsage() of the server process, µs. */
  cpuUserUs: number;
  cpuSystemUs: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** The child's monotonic clock (µs), the clock --cpu-prof timestamps use. */
  monotonicUs: number;
}

export type ChildMessage = { type: 'ready'; port: number } | ({ type: 'stats'; id: number } & ChildStats) | { type: 'error'; message: string };

const SHUTDOWN_TIMEOUT_MS = 5000;

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  // A few rounds, letting finalizers and weak callbacks run in between.
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function stats(gc: boolean): Promise<ChildStats> {
  if (gc) await collectGarbage();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    monotonicUs: Number(process.hrtime.bigint() / 1000n),
  };
}

export function runChild(name: string, start: () => Promise<StartedServer>): void {
  const send = (message: ChildMessage): void => {
    if (process.send && process.connected) process.send(message);
  };
  let server: StartedServer | undefined;
  let exiting = false;
  const exit = (code: number): void => {
    if (exiting) return;
    exiting = true;
    const force = setTimeout(() => process.exit(code), SHUTDOWN_TIMEOUT_MS);
    force.unref();
    Promise.resolve(server?.close())
      .catch((error: unknown) => console.error(`${name}: close failed`, error))
      .finally(() => process.exit(code));
  };

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      void stats(message.gc).then((result) => send({ type: 'stats', id: message.id, ...result }));
    } else if (message.type === 'shutdown') {
      exit(0);
    }
  });
  // The parent died or closed the channel: do not linger.
  process.on('disconnect', () => exit(1));
  process.on('SIGTERM', () => exit(0));
  process.on('SIGINT', () => exit(0));

  start().then(
    (started) => {
      server = started;
      console.log(`${name} listening 127.0.0.1:${started.port}`);
      send({ type: 'ready', port: started.port });
    },
    (error: unknown) => {
      console.error(`${name}: failed to start`, error);
      send({ type: 'error', message: String(error) });
      process.exit(1);
    },
  );
}
