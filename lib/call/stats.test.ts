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

  it('takes the pair Firefox marks selected over another nominated one', () => {
    const entries = [
      { id: 'P1', type: 'candidate-pair', timestamp: 1, localCandidateId: 'L1', remoteCandidateId: 'R', nominated: true, state: 'succeeded' },
      { id: 'P2', type: 'candidate-pair', timestamp: 1, localCandidateId: 'L2', remoteCandidateId: 'R', nominated: true, state: 'succeeded', selected: true },
      { id: 'L1', type: 'local-candidate', timestamp: 1, candidateType: 'host' },
      { id: 'L2', type: 'local-candidate', timestamp: 1, candidateType: 'relay' },
      { id: 'R', type: 'remote-candidate', timestamp: 1, candidateType: 'relay' },
    ];
    expect(summarizeStats(report(entries), null)).toMatchObject({ localCandidateType: 'relay', remoteCandidateType: 'relay' });
  });

  it('names a peer-reflexive end by the signaled candidate at the same address, when there is one', () => {
    const entries = (remotes: Record<string, unknown>[]) => [
      { id: 'P', type: 'candidate-pair', timestamp: 1, localCandidateId: 'L', remoteCandidateId: 'R1', selected: true },
      { id: 'L', type: 'local-candidate', timestamp: 1, candidateType: 'relay', address: '127.0.0.1', port: 50000 },
      { id: 'R1', type: 'remote-candidate', timestamp: 1, candidateType: 'prflx', address: '127.0.0.1', port: 60000 },
      ...remotes,
    ];
    const relayAt = (port: number) => ({ id: `R${port}`, type: 'remote-candidate', timestamp: 1, candidateType: 'relay', address: '127.0.0.1', port });
    expect(summarizeStats(report(entries([relayAt(60000)])), null).remoteCandidateType).toBe('relay');
    expect(summarizeStats(report(entries([relayAt(60001)])), null).remoteCandidateType).toBe('prflx');
    // A local candidate at that address is not the remote's.
    expect(summarizeStats(report(entries([{ ...relayAt(60000), type: 'local-candidate' }])), null).remoteCandidateType).toBe('prflx');
  });

  it('copes with an empty report', () => {
    expect(summarizeStats(report([]), null)).toMatchObject({ rttMs: null, resolution: null, localCandidateType: null });
  });
});
