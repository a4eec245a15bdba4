import { describe, expect, it } from 'vitest';
import { summarizeStats } from './stats';

function report(entries: Record<string, unknown>[]): { forEach(cb: (e: never) => void): void } {
  return { forEach: (cb) => entries.forEach((entry) => cb(entry as never)) };
}

const base = (t: number, received: number, sent: number, frames: number) => [
  { id: 'T', type: 'transport', timestamp: t, selectedCandidatePairId: 'P' },
  { id: 'P', type: 'candidate-pair', timestamp: t, currentRoundTripTime: 0.0123, localCandidateId: 'L', remoteCandidateId: 'R', nominated: true, state: 'succeeded' },
  { id: 'L', type: 'local-candidate', timestamp: t, candidateType: 'relay' },
  { id: 'R', type: 'remote-candidate', timestamp: t, candidateType: 'host' },
  { id: 'V', type: 'inbound-rtp', kind: 'video', timestamp: t, bytesReceived: received, packetsReceived: 990, packetsLost: 10, frameWidth: 640, frameHeight: 480, framesPerSecond: 30, framesDecoded: frames, codecId: 'C1' },
  { id: 'A', type: 'inbound-rtp', kind: 'audio', timestamp: t, bytesReceived: 0, packetsReceived: 0, packetsLost: 0, codecId: 'C2' },
  { id: 'O', type: 'outbound-rtp', kind: 'video', timestamp: t, bytesSent: sent },
  { id: 'C1', type: 'codec', timestamp: t, mimeType: 'video/VP8' },
  { id: 'C2', type: 'codec', timestamp: t, mimeType: 'audio/opus' },
];

describe('summarizeStats()', () => {
  it('reads RTT, candidate types, codecs, resolution and loss; rates need a previous sample', () => {
    const first = summarizeStats(report(base(1000, 100_000, 50_000, 10)), null);
    expect(first).toMatchObject({
      rttMs: 12,
      localCandidateType: 'relay',
      remoteCandidateType: 'host',
      videoCodec: 'VP8',
      audioCodec: 'opus',
      resolution: '640×480',
      framesPerSecond: 30,
      framesDecoded: 10,
      packetLossPercent: 1,
      bitrateInKbps: null,
    });
    const second = summarizeStats(report(base(2000, 225_000, 100_000, 40)), first);
    expect(second.bitrateInKbps).toBe(1000);
    expect(second.bitrateOutKbps).toBe(400);
  });

  it('copes with an empty report', () => {
    expect(summarizeStats(report([]), null)).toMatchObject({ rttMs: null, resolution: null, localCandidateType: null });
  });
});
