/**
 * signalingPeer: the protoo peer a page talks to the server through (the room's and the
 * lobby's). Its socket reconnects by itself, and it notices a connection that died
 * silently: a browser's WebSocket stays open for minutes after its network went away
 * without a reset, so after a quiet spell the peer sends `ping`, and when nothing at all
 * comes back in time it drops the socket and reconnects.
 */
import { Peer, WebSocketTransport, type RetryOptions } from '../protoo/client';
import type { ClientSends, ServerSends } from '../signaling/protocol';

/** Probe after this long without a frame from the server. */
export const LIVENESS_IDLE_MS = 5_000;
/**
 * Reconnect when nothing came this long after the probe: a dead socket is dropped 8–13 s
 * after it died. Generous, so that a server busy for a few seconds does not see all its
 * quiet clients reconnect at once.
 */
export const LIVENESS_TIMEOUT_MS = 8_000;

export type SignalingPeer = Peer<ClientSends, ServerSends>;

export function signalingPeer(url: string, options: { retry?: Partial<RetryOptions>; requestTimeout?: number } = {}): SignalingPeer {
  const transport = new WebSocketTransport(url, {
    retry: options.retry,
    liveness: {
      idleMs: LIVENESS_IDLE_MS,
      timeoutMs: LIVENESS_TIMEOUT_MS,
      // Any frame counts as the answer; a failed ping needs no handling of its own.
      probe: () => void peer.request('ping', {}).catch(() => {}),
    },
  });
  const peer: SignalingPeer = new Peer(transport, { requestTimeout: options.requestTimeout });
  return peer;
}
