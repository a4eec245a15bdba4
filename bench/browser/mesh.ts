/**
 * CPU and delivered frame rate of one mesh call of N participants (fake media), all in
 * one browser. Once every directed video stream decodes (N·(N−1) of them) and a settle
 * time has passed, two snapshots `windowMs` apart give:
 * - the whole browser's CPU (every Chromium process: browser, GPU, network, renderers),
 *   from the DevTools protocol's SystemInfo.getProcessInfo, as % of one core;
 * - frames decoded per second for each received stream, from the framesDecoded and
 *   timestamp of its inbound-rtp stats (read through the app's test hook).
 */
import type { Browser, CDPSession } from '@playwright/test';
import { BenchParticipant, closeAll, randomRoomId } from './participant';
import { mean } from '../lib/stats';

export interface MeshOptions {
  size: number;
  windowMs: number;
  /** Time between the full mesh and the first snapshot (bitrates and frame rates ramp up). */
  settleMs: number;
  /** Bound on joining everybody and getting every stream to decode. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface StreamSample {
  /** Who receives, and from whom (participant names). */
  receiver: string;
  sender: string;
  frames: number;
  seconds: number;
  fps: number;
}

export interface MeshResult {
  size: number;
  expectedStreams: number;
  /** Streams that decoded frames during the window. */
  flowingStreams: number;
  windowMs: number;
  /** From the first Join click until every stream decoded. */
  setupMs: number;
  cpu: { totalPercent: number; perParticipantPercent: number; byType: Record<string, number> };
  fps: { meanPerStream: number; minPerStream: number; totalDecodedPerSecond: number };
  /** Frame rate of the fake camera, as a sender reports it (media-source stats). */
  sourceFps: number | null;
  streams: StreamSample[];
}

interface ProcessInfo {
  type: string;
  id: number;
  /** CPU seconds used since the process started. */
  cpuTime: number;
}

interface InboundVideo {
  peerId: string;
  framesDecoded: number;
  timestamp: number;
}

const NAMES = ['Alice', 'Bob', 'Carol', 'Dan', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy'];
const POLL_MS = 250;

export async function measureMesh(browser: Browser, baseURL: string, options: MeshOptions): Promise<MeshResult> {
  const { size, windowMs, settleMs, timeoutMs = 30_000 + size * 15_000, log = () => {} } = options;
  if (size < 2 || size > NAMES.length) throw new Error(`mesh size must be 2..${NAMES.length}, not ${size}`);
  const roomId = randomRoomId(`bench-mesh${size}`);
  const participants: BenchParticipant[] = [];
  const cdp = await browser.newBrowserCDPSession();
  try {
    const opened = await Promise.allSettled(NAMES.slice(0, size).map((name) => BenchParticipant.open(browser, baseURL, roomId, name)));
    for (const result of opened) if (result.status === 'fulfilled') participants.push(result.value);
    for (const result of opened) if (result.status === 'rejected') throw result.reason;

    const started = Date.now();
    const deadline = started + timeoutMs;
    for (const participant of participants) {
      await participant.waitForPreview();
      await participant.join();
    }
    const ids = await Promise.all(participants.map((participant) => participant.selfId()));
    const nameOf = new Map(ids.map((id, index) => [id, participants[index]!.name]));
    await waitForFullMesh(participants, ids, deadline);
    const setupMs = Date.now() - started;
    log(`mesh of ${size}: all ${size * (size - 1)} streams decode after ${(setupMs / 1000).toFixed(1)} s; settling ${settleMs} ms, measuring ${windowMs} ms`);
    await sleep(settleMs);

    const [cpuBefore, videoBefore] = await Promise.all([cpuTimes(cdp), Promise.all(participants.map(inboundVideo))]);
    const wallBefore = performance.now();
    await sleep(windowMs);
    const [cpuAfter, videoAfter] = await Promise.all([cpuTimes(cdp), Promise.all(participants.map(inboundVideo))]);
    const wallSeconds = (performance.now() - wallBefore) / 1000;

    const streams: StreamSample[] = [];
    participants.forEach((participant, index) => {
      for (const after of videoAfter[index]!) {
        const before = videoBefore[index]!.find((entry) => entry.peerId === after.peerId);
        const frames = after.framesDecoded - (before?.framesDecoded ?? 0);
        const seconds = before ? (after.timestamp - before.timestamp) / 1000 : wallSeconds;
        streams.push({ receiver: participant.name, sender: nameOf.get(after.peerId) ?? after.peerId, frames, seconds, fps: seconds > 0 ? frames / seconds : 0 });
      }
    });
    const byType: Record<string, number> = {};
    let cpuSeconds = 0;
    for (const [id, after] of cpuAfter) {
      const used = after.cpuTime - (cpuBefore.get(id)?.cpuTime ?? 0);
      cpuSeconds += used;
      byType[after.type] = (byType[after.type] ?? 0) + (100 * used) / wallSeconds;
    }
    const totalPercent = (100 * cpuSeconds) / wallSeconds;
    const rates = streams.map((stream) => stream.fps);
    return {
      size,
      expectedStreams: size * (size - 1),
      flowingStreams: streams.filter((stream) => stream.frames > 0).length,
      windowMs,
      setupMs,
      cpu: { totalPercent, perParticipantPercent: totalPercent / size, byType },
      fps: { meanPerStream: mean(rates), minPerStream: rates.length ? Math.min(...rates) : 0, totalDecodedPerSecond: rates.reduce((sum, rate) => sum + rate, 0) },
      sourceFps: await sourceFps(participants[0]!),
      streams,
    };
  } finally {
    await cdp.detach().catch(() => undefined);
    await closeAll(participants);
  }
}

/** Waits until every participant's link to every other is connected and decodes video. */
async function waitForFullMesh(participants: BenchParticipant[], ids: string[], deadline: number): Promise<void> {
  for (;;) {
    const missing: string[] = [];
    await Promise.all(
      participants.map(async (participant, index) => {
        const decoding = new Set((await inboundVideo(participant)).filter((entry) => entry.framesDecoded > 0).map((entry) => entry.peerId));
        ids.forEach((id, other) => {
          if (other !== index && !decoding.has(id)) missing.push(`${participant.name} ← ${participants[other]!.name}`);
        });
      }),
    );
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`mesh of ${participants.length}: streams still not decoding when the time ran out: ${missing.join(', ')}`);
    await sleep(POLL_MS);
  }
}

/** framesDecoded of the video each remote peer sends us (the camera: no screen is shared here). */
function inboundVideo(participant: BenchParticipant): Promise<InboundVideo[]> {
  return participant.page.evaluate(async () => {
    const hook = window.__confab!;
    const result: { peerId: string; framesDecoded: number; timestamp: number }[] = [];
    for (const peerId of hook.peerIds()) {
      if (hook.connectionState(peerId) !== 'connected') continue;
      const video = (await hook.stats(peerId)).filter((entry) => entry.type === 'inbound-rtp' && entry.kind === 'video');
      if (video.length === 0) continue;
      result.push({
        peerId,
        framesDecoded: video.reduce((sum, entry) => sum + (Number(entry.framesDecoded) || 0), 0),
        timestamp: Math.max(...video.map((entry) => Number(entry.timestamp) || 0)),
      });
    }
    return result;
  });
}

function sourceFps(participant: BenchParticipant): Promise<number | null> {
  return participant.page.evaluate(async () => {
    const hook = window.__confab!;
    const peerId = hook.peerIds()[0];
    if (!peerId) return null;
    const source = (await hook.stats(peerId)).find((entry) => entry.type === 'media-source' && entry.kind === 'video');
    return typeof source?.framesPerSecond === 'number' ? source.framesPerSecond : null;
  });
}

/** CPU seconds used so far by each Chromium process, by process id. */
async function cpuTimes(cdp: CDPSession): Promise<Map<number, ProcessInfo>> {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.map(({ type, id, cpuTime }): [number, ProcessInfo] => [id, { type, id, cpuTime }]));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
