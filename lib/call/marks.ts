/**
 * marks: User Timing marks of a join, so anyone can read the call setup's phases in
 * DevTools (Performance panel, or `performance.getEntriesByType('mark')`), and the
 * browser benchmark (bench/browser) can time them:
 *
 *   confab:join                         Join clicked (RoomClient.join)
 *   confab:joined                       the server answered our join
 *   confab:remote-description:<peerId>  a remote description from that peer was applied
 *   confab:connected:<peerId>           the link to that peer is connected (ICE + DTLS)
 *   confab:first-frame:<peerId>         the first frame of that peer's camera was presented
 *
 * A mark costs about a microsecond and is made a few times per link, never per frame.
 */
export const JOIN_MARK = 'confab:join';
export const JOINED_MARK = 'confab:joined';

export type PeerMark = 'remote-description' | 'connected' | 'first-frame';

export function peerMarkName(kind: PeerMark, peerId: string): string {
  return `confab:${kind}:${peerId}`;
}

export function mark(name: string): void {
  // Absent in some test environments; a missing mark is never worth an error.
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name);
}
