/**
 * A benchmark server run under valgrind's callgrind, for counting the user-space
 * instructions a workload costs it (bench/join-instructions.ts, bench/chat-instructions.ts).
 *
 * The time-dependent work is taken out so that a count repeats to within about a
 * percent: V8 runs `--single-threaded` (no concurrent compilation or marking, whose
 * share depends on timing), and Confab's heartbeat interval is 10 minutes (no visits
 * that scale with the wall clock, which valgrind stretches about 50-fold). The workload
 * should send its requests one at a time, for the same reason. Needs valgrind (Debian:
 * `apt-get install valgrind`).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { instructionParts, selfInstructions, type InstructionParts } from './callgrind';
import { bundledServer, nodeFlagsOf, ROOT_DIR, type ServerKind } from './server-process';

const START_TIMEOUT_MS = 120_000;

export function hasValgrind(): boolean {
  return ['valgrind', 'callgrind_control'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** What a measured stretch cost the server: each function's self instructions, and their split. */
export interface InstructionCount {
  functions: Map<string, number>;
  parts: InstructionParts;
  total: number;
}

export interface CallgrindServer {
  port: number;
  /** Zeroes the counters: the measured stretch starts. */
  zero(): void;
  /** Dumps the counters and reads them: what the server spent since `zero()`. */
  count(): InstructionCount;
}

/** Starts `kind` under callgrind, runs `measure` against it, and stops it. */
export async function underCallgrind<T>(kind: ServerKind, measure: (server: CallgrindServer) => Promise<T>): Promise<T> {
  const entry = await bundledServer(kind);
  const dir = mkdtempSync(path.join(tmpdir(), 'confab-callgrind-'));
  const nodeArgs = ['--single-threaded', ...nodeFlagsOf(kind)];
  const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${path.join(dir, 'callgrind.%p')}`, process.execPath, ...nodeArgs, entry], {
    cwd: ROOT_DIR,
    env: { ...process.env, HEARTBEAT_INTERVAL_MS: '600000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const port = await listeningPort(child);
    const pid = child.pid!;
    return await measure({
      port,
      zero: () => callgrindControl('-z', pid),
      count: () => {
        // Each dump is a new file; the newest holds what came since the last zeroing.
        callgrindControl('-d', pid);
        const dumps = readdirSync(dir)
          .filter((name) => name.startsWith(`callgrind.${pid}.`))
          .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
        const file = dumps.at(-1);
        const functions = selfInstructions(file ? readFileSync(path.join(dir, file), 'utf8') : '');
        const parts = instructionParts(functions);
        const total = parts.compiling + parts.gc + parts.rest;
        if (total === 0) throw new Error(`${kind}: callgrind wrote no counts to ${dir}`);
        return { functions, parts, total };
      },
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function callgrindControl(command: '-z' | '-d', pid: number): void {
  execFileSync('callgrind_control', [command, String(pid)], { stdio: 'ignore', timeout: 60_000 });
}

function listeningPort(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`server under valgrind did not start in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening 127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server under valgrind exited (${code}) before listening:\n${stderr}`));
    });
  });
}

/** One server's count per unit of work (a join, a chat), as the tables print it. */
export interface CountRow {
  server: ServerKind;
  perUnit: number;
  parts: InstructionParts;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const ratio = (n: number, of: number | undefined): string => (of ? `${(n / of).toFixed(3)}×` : '–');

/** A markdown table of the counts per `unit`, each against the `ws` reference's when it ran. */
export function instructionTable(unit: string, rows: readonly CountRow[]): string {
  const ws = rows.find((row) => row.server === 'ws');
  const lines = [
    `| server | instructions per ${unit} | vs ws | V8 compiling | garbage collection | the rest | the rest vs ws |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { server, perUnit, parts } of rows) {
    lines.push(`| ${server} | ${count(perUnit)} | ${ratio(perUnit, ws?.perUnit)} | ${count(parts.compiling)} | ${count(parts.gc)} | ${count(parts.rest)} | ${ratio(parts.rest, ws?.parts.rest)} |`);
  }
  return lines.join('\n');
}

/** Exits with a message saying how to get valgrind when it is missing. */
export function requireValgrind(): void {
  if (hasValgrind()) return;
  console.error('valgrind (with callgrind_control) is needed: on Debian, apt-get install valgrind');
  process.exit(1);
}
