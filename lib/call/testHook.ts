/**
 * testHook: what browser tests may read, installed only when the page opted in with
 * `localStorage['confab:test-hook'] = '1'` (Playwright sets it with an init script).
 * docs/testing.md documents it. Nothing here is used by the app itself.
 *
 * window.__confab = {
 *   selfId(): string
 *   peerIds(): string[]                        remote peers we have a link to
 *   stats(peerId): Promise<RTCStatsReport entries as plain objects>
 *   connectionState(peerId): RTCPeerConnectionState | null
 *   trace(peerId): string[]                    recent negotiation events of that link
 *   transceivers(peerId): string[]             one line per transceiver: mid, directions, tracks
 *   peerEvents(): string[]                     "joined:<id>" / "left:<id>" notifications seen
 * }
 */
import type { RoomClient } from './RoomClient';

export interface ConfabTestHook {
  selfId(): string;
  peerIds(): string[];
  stats(peerId: string): Promise<Record<string, unknown>[]>;
  connectionState(peerId: string): RTCPeerConnectionState | null;
  /** Recent negotiation events of the link to peerId (for diagnosing failures). */
  trace(peerId: string): string[];
  /** One line per transceiver of the link to peerId: mid, direction, current direction, tracks. */
  transceivers(peerId: string): string[];
  /** Peer joins and leaves this page saw, oldest first: "joined:<id>", "left:<id>". */
  peerEvents(): string[];
}

declare global {
  interface Window {
    __confab?: ConfabTestHook;
  }
}

export const TEST_HOOK_KEY = 'confab:test-hook';

function testHookEnabled(): boolean {
  try {
    return localStorage.getItem(TEST_HOOK_KEY) === '1';
  } catch {
    return false;
  }
}

export function installTestHook(client: RoomClient): () => void {
  if (!testHookEnabled()) return () => {};
  const hook: ConfabTestHook = {
    selfId: () => client.selfId,
    peerIds: () => [...client.peerConnections().keys()],
    stats: async (peerId) => {
      const pc = client.peerConnections().get(peerId);
      if (!pc) return [];
      const report = await pc.getStats();
      const entries: Record<string, unknown>[] = [];
      report.forEach((entry: Record<string, unknown>) => entries.push({ ...entry }));
      return entries;
    },
    connectionState: (peerId) => client.peerConnections().get(peerId)?.connectionState ?? null,
    trace: (peerId) => client.linkTrace(peerId),
    transceivers: (peerId) =>
      (client.peerConnections().get(peerId)?.getTransceivers() ?? []).map((transceiver) => {
        const received = transceiver.receiver.track;
        const sent = transceiver.sender.track;
        return (
          `mid=${transceiver.mid} ${transceiver.direction}/${transceiver.currentDirection}` +
          ` recv=${received.kind}:${received.id.slice(0, 8)}:${received.readyState}${received.muted ? ':muted' : ''}` +
          ` send=${sent ? `${sent.kind}:${sent.id.slice(0, 8)}` : '-'}`
        );
      }),
    peerEvents: () => [...client.peerEvents],
  };
  window.__confab = hook;
  return () => {
    if (window.__confab === hook) delete window.__confab;
  };
}
