/**
 * The browser benchmark's smoke test (bench/browser): each part runs with tiny numbers
 * against the suite's server and must produce complete results. Timing is never asserted
 * here; `npm run bench:browser` measures.
 */
import { expect, test } from '@playwright/test';
import { measureJoins } from '../bench/browser/join';
import { measureMesh } from '../bench/browser/mesh';
import { measurePageLoads } from '../bench/browser/pageLoad';
import { BenchParticipant, closeAll, randomRoomId } from '../bench/browser/participant';

test.describe('browser benchmark', () => {
  test('every join produces all phase timestamps, in order', async ({ browser, baseURL }) => {
    const samples = await measureJoins(browser, baseURL!, { joins: 2 });
    expect(samples).toHaveLength(2);
    for (const { marks, phases } of samples) {
      const order = [marks.join, marks.joined, marks.remoteDescription, marks.connected, marks.firstFrame];
      expect(order.every((time) => time > 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(phases.total).toBe(marks.firstFrame - marks.join);
    }
  });

  test("a join's report says what the page shows of the link: its tiles, transceivers and trace", async ({ browser, baseURL }) => {
    const roomId = randomRoomId('bench-report');
    const opened: BenchParticipant[] = [];
    try {
      const alice = await BenchParticipant.open(browser, baseURL!, roomId, 'Alice');
      opened.push(alice);
      await alice.join();
      const bob = await BenchParticipant.open(browser, baseURL!, roomId, 'Bob');
      opened.push(bob);
      await bob.join();
      const aliceId = await alice.selfId();
      await expect.poll(async () => (await bob.linkReport(aliceId)).find((line) => line.startsWith('tile "Alice"')), { timeout: 20_000 }).toBe('tile "Alice" link=connected video');
      const report = await bob.linkReport(aliceId);
      expect(report).toContain('tile "Bob (you)" link=self video');
      expect(report.filter((line) => line.startsWith('transceiver ')).length).toBeGreaterThanOrEqual(2);
      expect(report.some((line) => line.startsWith('trace '))).toBe(true);
    } finally {
      await closeAll(opened);
    }
  });

  test('a mesh call of two measures CPU and every expected stream', async ({ browser, baseURL }) => {
    const mesh = await measureMesh(browser, baseURL!, { size: 2, windowMs: 1000, settleMs: 200 });
    expect(mesh.expectedStreams).toBe(2);
    expect(mesh.streams).toHaveLength(2);
    for (const stream of mesh.streams) expect(stream.fps, `${stream.receiver} ← ${stream.sender}`).toBeGreaterThan(0);
    expect(mesh.cpu.totalPercent).toBeGreaterThan(0);
  });

  test('a page load finds the room page scripts and its load event', async ({ browser, baseURL }) => {
    const [sample] = await measurePageLoads(browser, baseURL!, { loads: 1, settleMs: 200 });
    expect(sample!.loadEventEndMs).toBeGreaterThan(0);
    expect(sample!.document.decodedBodySize).toBeGreaterThan(0);
    expect(sample!.scripts.length).toBeGreaterThan(0);
    for (const script of sample!.scripts) {
      expect(script.transferSize, script.path).toBeGreaterThan(0);
      expect(script.encodedBodySize, script.path).toBeGreaterThan(0);
      expect(script.decodedBodySize, script.path).toBeGreaterThan(0);
    }
  });
});
