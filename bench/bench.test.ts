/**
 * Smoke test of the benchmark harness: every scenario, with tiny sizes, against every
 * server kind, Confab's twin included (one child each, started in parallel). It checks that the harness runs
 * and that nothing is lost: every expected notification, relay and join arrives. It
 * never looks at timings.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { measureChatPath, PATHS } from './chat-path';
import { countChatInstructions } from './chat-instructions';
import { countJoinInstructions } from './join-instructions';
import { hasValgrind } from './lib/callgrind-server';
import { smokeScenarios } from './config';
import { CONFAB_NODE_FLAGS, liveServerCount, SERVER_KINDS } from './lib/server-process';
import { runBench, type RunRecord } from './lib/suite';

const scenarios = smokeScenarios();
let records: RunRecord[] = [];

function childPids(): number[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, command]) => command !== undefined && command !== 'ps')
      .map(([pid]) => Number(pid));
  } catch {
    return []; // ps exits 1 when there are none
  }
}

describe('bench harness (smoke)', () => {
  const before = new Set<number>();

  beforeAll(async () => {
    for (const pid of childPids()) before.add(pid);
    records = await runBench({ scenarios, servers: [...SERVER_KINDS], reps: 1, freshServers: false, runTimeoutMs: 20_000 });
  }, 55_000);

  afterAll(() => {
    expect(liveServerCount()).toBe(0);
  });

  test('ran every scenario on every server', () => {
    const ran = records.map((record) => `${record.scenario}/${record.server}`).sort();
    const wanted = scenarios.flatMap((spec) => SERVER_KINDS.map((server) => `${spec.id}/${server}`)).sort();
    expect(ran).toEqual(wanted);
  });

  test.each(scenarios.flatMap((spec) => SERVER_KINDS.map((server) => [spec.id, server] as const)))('%s on %s: nothing lost', (scenario, server) => {
    const record = records.find((r) => r.scenario === scenario && r.server === server);
    expect(record).toBeDefined();
    expect(record!.error).toBeUndefined();
    expect(record!.problems).toEqual([]);
    expect(record!.counts.expected).toBeGreaterThan(0);
    expect(record!.counts.received).toBe(record!.counts.expected);
    expect(record!.counts.lost).toBe(0);
    expect(record!.counts.errors).toBe(0);
  });

  test('expected counts match the sizes', () => {
    const get = (scenario: string): RunRecord => records.find((r) => r.scenario === scenario && r.server === 'confab')!;
    // 2 rooms × 3 peers, 20 chats: 2 notifications each.
    expect(get('fanout').counts.expected).toBe(40);
    expect(get('fanout-rate').counts.expected).toBe(40);
    expect(get('relay').counts.expected).toBe(20);
    // 20 joins (rooms of 4) + 5 × 6 peerJoined; 16 joins (rooms of 8) + 2 × 28 peerJoined.
    expect(get('idle-20').counts.expected).toBe(20 + 30);
    expect(get('join-storm').counts.expected).toBe(16 + 56);
    expect(get('join-storm-warm').counts.expected).toBe(16 + 56);
  });

  test('the sliced scenarios and the join storm took turns between the servers', () => {
    for (const server of SERVER_KINDS) {
      const storm = records.find((r) => r.scenario === 'join-storm' && r.server === server)!;
      // 16 joins in batches of 8: two turns, each with its own reading.
      expect(storm.metrics.slices).toBe(2);
      expect(storm.perSlice?.delivered).toEqual([8, 8]);
      const rate = records.find((r) => r.scenario === 'fanout-rate' && r.server === server)!;
      expect(rate.metrics.slices).toBeGreaterThan(1);
      expect(rate.perSlice?.delivered.reduce((sum, n) => sum + n, 0)).toBe(rate.counts.received);
    }
  });

  test('runs Confab with the V8 flags of `npm start`', () => {
    const start = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
    for (const flag of CONFAB_NODE_FLAGS) expect(start.split(' ')).toContain(flag);
  });

  test('no server child is left running', () => {
    expect(liveServerCount()).toBe(0);
    const leftover = childPids().filter((pid) => !before.has(pid));
    expect(leftover).toEqual([]);
  });
});

describe('chat path bench (smoke)', () => {
  test.each(PATHS)('%s: every chat reaches its sender and the seven others', async (path) => {
    const result = await measureChatPath({ path, rounds: 1, chats: 40 });
    expect(result.frames.expected).toBe(2 * 40 * 8);
    expect(result.frames.written).toBe(result.frames.expected);
    expect(result.bytes).toBeGreaterThan(result.frames.written * 100);
    expect(result.loopUs).toBeGreaterThan(0);
  });
});

// CI installs valgrind (.ci/run); elsewhere this is skipped when it is missing.
describe.skipIf(!hasValgrind())('instruction count benches (smoke)', () => {
  test('counts each server\'s instructions for joins one at a time, every join complete', async () => {
    const results = await Promise.all((['confab', 'ws'] as const).map((kind) => countJoinInstructions(kind, 12, 4)));
    for (const result of results) {
      expect(result).toMatchObject({ joins: 12, failures: 0, incomplete: 0 });
      // A connect and join is hundreds of thousands of instructions; a broken count is 0 or tiny.
      expect(result.instructionsPerJoin).toBeGreaterThan(100_000);
      // Four warm-up joins leave V8 compiling, and the joins themselves run JavaScript.
      expect(result.parts.compiling).toBeGreaterThan(0);
      expect(result.parts.rest).toBeGreaterThan(50_000);
    }
  }, 150_000);

  test('counts each server\'s instructions for chats one at a time, every chat delivered', async () => {
    const results = await Promise.all((['confab', 'ws'] as const).map((kind) => countChatInstructions(kind, 10, 4, 3)));
    for (const result of results) {
      expect(result).toMatchObject({ chats: 10, failures: 0 });
      // A chat (a request, a response and 7 notifications through sockets) is tens of
      // thousands of instructions at least; a broken count is 0 or tiny.
      expect(result.instructionsPerChat).toBeGreaterThan(20_000);
      expect(result.parts.rest).toBeGreaterThan(10_000);
      expect(result.top).toHaveLength(3);
      expect(result.top[0]![1]).toBeGreaterThanOrEqual(result.top[2]![1]);
    }
  }, 150_000);
});
