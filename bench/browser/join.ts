/**
 * Join → first remote video frame, for two parties, split into phases. Alice is already in
 * the call; Bob's camera preview runs on the pre-join screen before the clock starts. All
 * times are Bob's User Timing marks (lib/call/marks.ts), so they share one clock:
 *
 *   signaling   confab:join → confab:remote-description:<alice>  (join request, peerJoined
 *               to Alice, her offer relayed to Bob and applied)
 *   ice         → confab:connected:<alice>  (ICE checks and the DTLS handshake)
 *   firstFrame  → confab:first-frame:<alice>  (first RTP frames decoded and presented)
 *
 * Each join uses a fresh room and closes both contexts after it.
 */
import type { Browser } from '@playwright/test';
import { JOIN_MARK, JOINED_MARK, peerMarkName } from '../../lib/call/marks';
import { BenchParticipant, closeAll, randomRoomId, type Mark } from './participant';
import { median, percentile } from '../lib/stats';

export interface JoinPhases {
  signaling: number;
  ice: number;
  firstFrame: number;
  total: number;
}

export interface JoinSample {
  roomId: string;
  warmup: boolean;
  /** Bob's marks in his page's time (ms): join, joined, remoteDescription, connected, firstFrame. */
  marks: { join: number; joined: number; remoteDescription: number; connected: number; firstFrame: number };
  phases: JoinPhases;
}

export interface JoinOptions {
  joins: number;
  /** Joins made first and kept apart (the browser's first peer connection warms its WebRTC stack). */
  warmup?: number;
  /** Bound on one join, from the click to the first frame. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export type PhaseSummary = Record<keyof JoinPhases, { median: number; p90: number }>;

const PHASES: (keyof JoinPhases)[] = ['signaling', 'ice', 'firstFrame', 'total'];

export async function measureJoins(browser: Browser, baseURL: string, options: JoinOptions): Promise<JoinSample[]> {
  const { joins, warmup = 0, timeoutMs = 30_000, log = () => {} } = options;
  const samples: JoinSample[] = [];
  for (let index = 0; index < warmup + joins; index++) {
    const sample = await measureJoin(browser, baseURL, index < warmup, timeoutMs);
    samples.push(sample);
    const label = sample.warmup ? `warm-up join ${index + 1}/${warmup}` : `join ${index - warmup + 1}/${joins}`;
    log(`${label}: ${describe(sample.phases)}`);
  }
  return samples;
}

async function measureJoin(browser: Browser, baseURL: string, warmup: boolean, timeoutMs: number): Promise<JoinSample> {
  const roomId = randomRoomId('bench-join');
  const opened: BenchParticipant[] = [];
  try {
    // Alice joins while Bob's page loads and his camera starts: all before the clock.
    const ready = await Promise.allSettled([
      BenchParticipant.open(browser, baseURL, roomId, 'Alice').then(async (participant) => {
        opened.push(participant);
        await participant.join();
        return participant;
      }),
      BenchParticipant.open(browser, baseURL, roomId, 'Bob').then(async (participant) => {
        opened.push(participant);
        await participant.waitForPreview();
        return participant;
      }),
    ]);
    const [alice, bob] = ready.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    }) as [BenchParticipant, BenchParticipant];
    const aliceId = await alice.selfId();
    const names = {
      join: JOIN_MARK,
      joined: JOINED_MARK,
      remoteDescription: peerMarkName('remote-description', aliceId),
      connected: peerMarkName('connected', aliceId),
      firstFrame: peerMarkName('first-frame', aliceId),
    };
    await bob.clickJoin();
    if (!(await bob.waitForMark(names.firstFrame, timeoutMs))) {
      const lines = [...(await bob.videos().catch(() => [])).map((line) => `video ${line}`), ...(await bob.linkReport(aliceId).catch(() => []))];
      const details = lines.map((line) => `\n  Bob's ${line}`).join('');
      throw new Error(`Join in room ${roomId} did not complete within ${timeoutMs / 1000} s: ${missingPhase(await bob.marks(), names)}${details}`);
    }
    const marks = firstOf(await bob.marks(), names);
    const phases: JoinPhases = {
      signaling: marks.remoteDescription - marks.join,
      ice: marks.connected - marks.remoteDescription,
      firstFrame: marks.firstFrame - marks.connected,
      total: marks.firstFrame - marks.join,
    };
    return { roomId, warmup, marks, phases };
  } finally {
    await closeAll(opened);
  }
}

/** The first mark of each name, in page time. */
function firstOf<K extends string>(marks: Mark[], names: Record<K, string>): Record<K, number> {
  const times = {} as Record<K, number>;
  for (const key of Object.keys(names) as K[]) {
    const found = marks.find((mark) => mark.name === names[key]);
    if (!found) throw new Error(`mark ${names[key]} missing`);
    times[key] = found.startTime;
  }
  return times;
}

/** Which phase a join that did not finish is stuck in, from the marks it did make. */
function missingPhase(marks: Mark[], names: Record<'join' | 'joined' | 'remoteDescription' | 'connected' | 'firstFrame', string>): string {
  const has = (name: string): boolean => marks.some((mark) => mark.name === name);
  if (!has(names.join)) return 'the Join click did not start a join (no confab:join mark)';
  if (!has(names.joined)) return 'signaling timed out: the server did not answer the join request';
  if (!has(names.remoteDescription)) return "signaling timed out: joined, but Alice's offer never arrived";
  if (!has(names.connected)) return 'ICE timed out: the offer was applied, but the link never connected';
  return "first frame timed out: connected, but no frame of Alice's camera was presented";
}

export function summarizeJoins(samples: readonly JoinSample[]): PhaseSummary {
  const measured = samples.filter((sample) => !sample.warmup);
  const summary = {} as PhaseSummary;
  for (const phase of PHASES) {
    const values = measured.map((sample) => sample.phases[phase]);
    summary[phase] = { median: median(values), p90: percentile(values, 90) };
  }
  return summary;
}

function describe(phases: JoinPhases): string {
  return `signaling ${phases.signaling.toFixed(0)} ms, ICE ${phases.ice.toFixed(0)} ms, first frame ${phases.firstFrame.toFixed(0)} ms, total ${phases.total.toFixed(0)} ms`;
}
