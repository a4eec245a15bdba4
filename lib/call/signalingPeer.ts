/**
 * signalingPeer: the protoo peer a page talks to the server through (the room's and the
 * lobby's). Its socket reconnects by itself, and it notices a connection that died
 * silently: a browser's WebSocket stays open for minutes after its network went away
 * without a reset, so after a quiet spell the peer sends `ping`, and when nothing at all
 * comes back in time it drops the socket and reconnects. When the browser says the
 * network is back (`online`), it probes at once: the socket may not have survived.
 */
import { Peer, WebSocketTransport, type RetryOptions, type WebSocketConstructor } from '../protoo/client';
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

/** Calls `check` whenever the connection deserves a look now; returns how to stop. */
export type Wakeups = (check: () => void) => () => void;

/** The browser's: the network came back online. */
export const networkWakeups: Wakeups = (check) => {
  if (typeof window === 'undefined') return () => {};
  window.addEventListener('online', check);
  return () => window.removeEventListener('online', check);
};

export interface SignalingPeerOptions {
  retry?: Partial<RetryOptions>;
  requestTimeout?: number;
  /** When to probe at once (default: the browser's `online` event). */
  wakeups?: Wakeups;
  /** The WebSocket to use where there is no global one (Node, in tests). */
  WebSocket?: WebSocketConstructor;
}

export function signalingPeer(url: string, options: SignalingPeerOptions = {}): SignalingPeer {
  const transport = new WebSocketTransport(url, {
    retry: options.retry,
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    liveness: {
      idleMs: LIVENESS_IDLE_MS,
      timeoutMs: LIVENESS_TIMEOUT_MS,
      // Any frame counts as the answer; a failed ping needs no handling of its own.
      probe: () => void peer.request('ping', {}).catch(() => {}),
    },
  });
  const peer: SignalingPeer = new Peer(transport, { requestTimeout: options.requestTimeout });
  const stopWakeups = (options.wakeups ?? networkWakeups)(() => transport.probeNow());
  // On the transport: a page may drop the peer's listeners before closing it.
  transport.once('close', stopWakeups);
  return peer;
}
