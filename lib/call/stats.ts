/**
 * stats: what the stats view shows for one link, read from two getStats() snapshots
 * (rates need a previous sample). Field names follow the W3C webrtc-stats spec, which
 * Chromium and Firefox both implement for these.
 */

export interface LinkStats {
  /** Round-trip time of the selected candidate pair, ms. */
  rttMs: number | null;
  /** kbit/s over the last interval. */
  bitrateInKbps: number | null;
  bitrateOutKbps: number | null;
  /** Inbound packet loss over the call, percent. */
  packetLossPercent: number | null;
  /** Inbound video. */
  resolution: string | null;
  framesPerSecond: number | null;
  framesDecoded: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  /** host / srflx / prflx / relay, local and remote. */
  localCandidateType: string | null;
  remoteCandidateType: string | null;
  /** When this sample was taken, ms (performance clock of the stats). */
  timestamp: number;
  /** Raw byte counters for the next rate computation. */
  bytesReceived: number;
  bytesSent: number;
}

type Entry = Record<string, unknown> & { type: string; id: string; timestamp: number };

/**
 * The selected candidate pair of a report, its entries by id. Chromium names it on the
 * transport; Firefox has no transport stats but marks the pair `selected`. Only without
 * either, a nominated pair that works is the best guess.
 */
export function selectedPair<T extends Record<string, unknown> & { type: string }>(byId: ReadonlyMap<string, T>): T | undefined {
  let selected: T | undefined;
  let nominated: T | undefined;
  for (const entry of byId.values()) {
    if (entry.type === 'transport' && typeof entry.selectedCandidatePairId === 'string') {
      const pair = byId.get(entry.selectedCandidatePairId);
      if (pair) return pair;
    }
    if (entry.type === 'candidate-pair' && entry.selected === true) selected ??= entry;
    if (entry.type === 'candidate-pair' && entry.nominated === true && entry.state === 'succeeded') nominated ??= entry;
  }
  return selected ?? nominated;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Builds LinkStats from a report (a Map-like of stats entries) and the previous sample. */
export function summarizeStats(report: { forEach(callback: (entry: Entry) => void): void }, previous: LinkStats | null): LinkStats {
  const byId = new Map<string, Entry>();
  report.forEach((entry) => byId.set(entry.id, entry));
  let timestamp = 0;
  let bytesReceived = 0;
  let bytesSent = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let video: Entry | undefined;
  let audio: Entry | undefined;
  for (const entry of byId.values()) {
    timestamp = Math.max(timestamp, entry.timestamp);
    if (entry.type === 'inbound-rtp') {
      bytesReceived += num(entry.bytesReceived) ?? 0;
      packetsReceived += num(entry.packetsReceived) ?? 0;
      packetsLost += num(entry.packetsLost) ?? 0;
      if (entry.kind === 'video' && (!video || (num(entry.framesDecoded) ?? 0) > (num(video.framesDecoded) ?? 0))) video = entry;
      if (entry.kind === 'audio') audio = entry;
    }
    if (entry.type === 'outbound-rtp') bytesSent += num(entry.bytesSent) ?? 0;
  }
  const codec = (rtp: Entry | undefined): string | null => {
    const entry = rtp && typeof rtp.codecId === 'string' ? byId.get(rtp.codecId) : undefined;
    return str(entry?.mimeType)?.split('/')[1] ?? null;
  };
  const pair = selectedPair(byId);
  const candidateType = (id: unknown): string | null => {
    const candidate = typeof id === 'string' ? byId.get(id) : undefined;
    const type = str(candidate?.candidateType);
    if (type !== 'prflx' || !candidate) return type;
    // A check that arrives before its candidate is signaled makes a peer-reflexive candidate,
    // and Firefox keeps calling it that once the candidate arrives. When the stats list the
    // signaled one too (at the same address and port), it says what the end really is (a
    // relay, say); they do not always.
    for (const other of byId.values()) {
      if (other.type === candidate.type && other !== candidate && other.address === candidate.address && other.port === candidate.port) {
        const signaled = str(other.candidateType);
        if (signaled && signaled !== 'prflx') return signaled;
      }
    }
    return type;
  };
  const seconds = previous ? (timestamp - previous.timestamp) / 1000 : 0;
  const rate = (now: number, before: number | undefined): number | null =>
    seconds > 0 && before !== undefined && now >= before ? Math.round(((now - before) * 8) / 1000 / seconds) : null;
  const width = num(video?.frameWidth);
  const height = num(video?.frameHeight);
  const rtt = num(pair?.currentRoundTripTime);
  return {
    rttMs: rtt === null ? null : Math.round(rtt * 1000),
    bitrateInKbps: rate(bytesReceived, previous?.bytesReceived),
    bitrateOutKbps: rate(bytesSent, previous?.bytesSent),
    packetLossPercent: packetsReceived + packetsLost > 0 ? Math.round((packetsLost / (packetsReceived + packetsLost)) * 1000) / 10 : null,
    resolution: width && height ? `${width}×${height}` : null,
    framesPerSecond: num(video?.framesPerSecond),
    framesDecoded: num(video?.framesDecoded),
    videoCodec: codec(video),
    audioCodec: codec(audio),
    localCandidateType: candidateType(pair?.localCandidateId),
    remoteCandidateType: candidateType(pair?.remoteCandidateId),
    timestamp,
    bytesReceived,
    bytesSent,
  };
}
