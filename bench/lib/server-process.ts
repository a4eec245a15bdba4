/**
 * Starts a benchmark server (bench/servers/<kind>.ts) in its own child process, pinned
 * to a core with `taskset` when asked and available, and talks to it over IPC: its port,
 * its own CPU time and memory (so the load generator's CPU is never counted), shutdown.
 * Every child is tracked and killed when this process exits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildMessage, ChildStats, ParentMessage } from '../servers/child';

/**
 * The servers: Confab, the official protoo-server, the plain-`ws` ceiling, and `twin`, a
 * second Confab (the same bundle and flags) that only runs when asked for: Confab against
 * itself, in the same run, shows how far the host's noise alone moves a ratio.
 */
export const SERVER_KINDS = ['confab', 'protoo', 'ws', 'twin'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** What a run compares when not told otherwise. */
export const DEFAULT_SERVERS: readonly ServerKind[] = ['confab', 'protoo', 'ws'];

/** The file in bench/servers/ each kind runs. */
const ENTRY: Record<ServerKind, string> = { confab: 'confab', protoo: 'protoo', ws: 'ws', twin: 'confab' };

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT_DIR = path.resolve(BENCH_DIR, '..');

export interface ServerProcessOptions {
  /** Core to pin the server to with `taskset -c` (ignored when taskset is missing). */
  core?: number;
  /** Write --cpu-prof profiles into this directory (when the child exits; one per thread). */
  cpuProfDir?: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface ServerProcess {
  kind: ServerKind;
  port: number;
  pid: number;
  /** The child's own CPU time and memory; `gc` forces a full GC first. */
  stats(gc?: boolean, timeoutMs?: number): Promise<ChildStats>;
  /** Asks the child to close and exit; kills it when it does not within the timeout. */
  close(timeoutMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Children started here that have not exited yet. */
export function liveServerCount(): number {
  return live.size;
}

let tasksetChecked: boolean | undefined;
export function hasTaskset(): boolean {
  tasksetChecked ??= spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
  return tasksetChecked;
}

/** Pins this process (all its threads) to `core`; returns whether it worked. */
export function pinSelf(core: number): boolean {
  if (!hasTaskset()) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/**
 * The V8 flags `npm start` runs Confab with (package.json `start`); bench.test.ts checks
 * that the two agree. The references run with Node's defaults.
 */
export const CONFAB_NODE_FLAGS = ['--max-semi-space-size=8'];

/** The V8 flags a server kind runs with: Confab's (and its twin's), or Node's defaults. */
export function nodeFlagsOf(kind: ServerKind): string[] {
  return ENTRY[kind] === 'confab' ? CONFAB_NODE_FLAGS : [];
}

/** The servers are bundled once per run (scripts/bundle.mjs) and run with plain node, as `npm start` runs Confab. */
let bundles: Promise<void> | undefined;

export async function bundledServer(kind: ServerKind): Promise<string> {
  const outdir = path.join(BENCH_DIR, '.build');
  bundles ??= import(pathToFileURL(path.join(ROOT_DIR, 'scripts', 'bundle.mjs')).href).then((module: { bundle: (entries: Record<string, string>, out: string) => Promise<void> }) =>
    module.bundle(Object.fromEntries([...new Set(Object.values(ENTRY))].map((name) => [name, path.join(BENCH_DIR, 'servers', `${name}.ts`)])), outdir),
  );
  await bundles;
  return path.join(outdir, `${ENTRY[kind]}.mjs`);
}

export async function startServerProcess(kind: ServerKind, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  installExitHook();
  const entry = await bundledServer(kind);
  // BENCH_SERVER_NODE_FLAGS: extra V8/Node flags for every server child, e.g.
  // "--perf-basic-prof --interpreted-frames-native-stack" to read them with `perf record`.
  // They come last, so they override Confab's own (V8 takes a flag's last value).
  const extraFlags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const nodeArgs = ['--expose-gc', ...nodeFlagsOf(kind), ...extraFlags];
  // An odd sampling interval (µs): the default 1 ms beats against fixed-rate load and misses most of the work.
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', '--cpu-prof-interval', '97', '--cpu-prof-dir', options.cpuProfDir);
  const pinned = options.core !== undefined && hasTaskset();
  const [command, args] = pinned
    ? ['taskset', ['-c', String(options.core), process.execPath, ...nodeArgs, entry]]
    : [process.execPath, [...nodeArgs, entry]];
  const child = spawn(command, args, {
    cwd: ROOT_DIR,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'pipe', 'ipc'],
  });
  live.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
  });

  const waiters = new Map<number, (stats: ChildStats) => void>();
  let nextId = 1;
  child.on('message', (message: ChildMessage) => {
    if (message.type !== 'stats') return;
    const { type: _type, id, ...stats } = message;
    waiters.get(id)?.(stats);
    waiters.delete(id);
  });

  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${kind} server did not start within ${options.startTimeoutMs ?? 30_000} ms`)), options.startTimeoutMs ?? 30_000);
    const onMessage = (message: ChildMessage): void => {
      if (message.type === 'ready') done(undefined, message.port);
      else if (message.type === 'error') done(new Error(`${kind} server failed: ${message.message}`));
    };
    const onExit = (): void => done(new Error(`${kind} server exited early (code ${child.exitCode ?? child.signalCode}): ${stderr.trim()}`));
    function done(error: Error | undefined, value?: number): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  }).catch(async (error: unknown) => {
    await kill();
    throw error;
  });

  return {
    kind,
    port,
    pid: child.pid!,
    stats(gc = false, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${kind} server is gone`));
        const id = nextId++;
        const timer = setTimeout(() => {
          waiters.delete(id);
          reject(new Error(`${kind} server: no stats within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(id, (stats) => {
          clearTimeout(timer);
          resolve(stats);
        });
        child.send({ type: 'stats', id, gc } satisfies ParentMessage);
      });
    },
    async close(timeoutMs = 10_000) {
      if (child.connected) child.send({ type: 'shutdown' } satisfies ParentMessage);
      const timer = setTimeout(() => void kill(), timeoutMs);
      await exited;
      clearTimeout(timer);
      if (child.connected) child.disconnect();
    },
  };
}

export function cpuDeltaUs(before: ChildStats, after: ChildStats): number {
  return after.cpuUserUs - before.cpuUserUs + (after.cpuSystemUs - before.cpuSystemUs);
}
