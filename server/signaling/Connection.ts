/**
 * Connection: one signaling WebSocket (a protoo peer) and what the server knows about
 * it: the room and peer id from its URL, its rate limits, and the participant it
 * speaks for once joined. Lobby connections (no room id) may only list rooms and ping.
 */
import type { Peer } from '../../lib/protoo/server';
import type { ClientSends, ServerSends } from '../../lib/signaling/protocol';
import { TokenBucket } from '../rateLimit';
import type { Frame, Participant, ParticipantLink } from '../rooms/Participant';

export type SignalingPeer = Peer<ServerSends, ClientSends>;

export class Connection implements ParticipantLink {
  readonly peer: SignalingPeer;
  readonly roomId: string | undefined;
  readonly peerId: string;
  readonly requests: TokenBucket;
  readonly signals: TokenBucket;
  participant: Participant | undefined;

  constructor(init: {
    peer: SignalingPeer;
    roomId: string | undefined;
    peerId: string;
    rateLimits: { requestsPerSecond: number; signalsPerSecond: number };
  }) {
    this.peer = init.peer;
    this.roomId = init.roomId;
    this.peerId = init.peerId;
    this.requests = new TokenBucket(init.rateLimits.requestsPerSecond, init.rateLimits.requestsPerSecond * 2);
    this.signals = new TokenBucket(init.rateLimits.signalsPerSecond, init.rateLimits.signalsPerSecond * 2);
  }

  get closed(): boolean {
    return this.peer.closed;
  }

  sendFrame(frame: Frame): void {
    this.peer.sendFrame(frame);
  }

  close(code: number, reason: string): void {
    this.peer.close(code, reason);
  }
}
