/**
 * Negotiator: the W3C "perfect negotiation" pattern for one peer connection, with the
 * spec's flags (makingOffer, ignoreOffer, isSettingRemoteAnswerPending). The polite
 * side yields on an offer collision (setRemoteDescription rolls its offer back
 * implicitly); the impolite side ignores the colliding offer. Incoming signals are
 * handled one at a time, in order; remote candidates wait until a remote description
 * exists. An offer left unanswered is sent again (a signaling socket that died silently
 * loses what was written into it, both ways); the answers to the copies are dropped.
 * Works on anything shaped like an RTCPeerConnection (tests use a fake).
 */

export interface NegotiablePeerConnection {
  readonly signalingState: RTCSignalingState;
  readonly remoteDescription: RTCSessionDescriptionInit | null;
  readonly localDescription: RTCSessionDescriptionInit | null;
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate: RTCIceCandidateInit): Promise<void>;
}

export interface NegotiatorEvents {
  /** Send our description (offer or answer) to the remote peer. */
  sendDescription(description: RTCSessionDescriptionInit): void;
  /** Something failed that the link should know about (logged, may trigger recovery). */
  error(error: unknown, during: string): void;
  /** A remote offer was applied and our answer is next: the last moment to add tracks to it. */
  beforeAnswer?(): void;
  /** Our offer went unanswered and is sent again (for the link's trace). */
  resent?(): void;
}

export interface NegotiatorOptions {
  /** How long an offer waits for its answer before it is sent again. */
  resendAfterMs?: number;
  /** How many times one offer is sent again. */
  maxResends?: number;
}

/**
 * A silently dead signaling socket is noticed within about 13 s (signalingPeer.ts) and the
 * call resumes on a new one; copies sent every 10 s reach the other side soon after.
 */
const RESEND_AFTER_MS = 10_000;
const MAX_RESENDS = 5;

/** Polite side of a pair, chosen the same way on both ends: the larger peer id yields. */
export function isPolite(selfId: string, remoteId: string): boolean {
  return selfId > remoteId;
}

export class Negotiator {
  readonly polite: boolean;
  readonly #pc: NegotiablePeerConnection;
  readonly #events: NegotiatorEvents;
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #pendingCandidates: RTCIceCandidateInit[] = [];
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #resendAfterMs: number;
  readonly #maxResends: number;
  #resendTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts our offers: a copy is sent only of the offer still waiting for its answer. */
  #offers = 0;
  /** Our current offer was sent more than once: more than one answer may come back. */
  #offerResent = false;

  constructor(pc: NegotiablePeerConnection, polite: boolean, events: NegotiatorEvents, options: NegotiatorOptions = {}) {
    this.#pc = pc;
    this.polite = polite;
    this.#events = events;
    this.#resendAfterMs = options.resendAfterMs ?? RESEND_AFTER_MS;
    this.#maxResends = options.maxResends ?? MAX_RESENDS;
  }

  /**
   * Call from the peer connection's `negotiationneeded` event (or to offer at once). A call
   * while an offer is being made does nothing: that offer covers it, and the browser asks
   * again once the signaling state is stable if anything is still left to negotiate.
   */
  async negotiationNeeded(): Promise<void> {
    if (this.#makingOffer) return;
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      if (this.#closed) return;
      const description = this.#pc.localDescription;
      if (description) {
        this.#offerResent = false;
        this.#events.sendDescription({ type: description.type, sdp: description.sdp });
        this.#watchAnswer(++this.#offers, 0);
      }
    } catch (error) {
      if (!this.#closed) this.#events.error(error, 'creating an offer');
    } finally {
      this.#makingOffer = false;
    }
  }

  /** A description from the remote peer; handled after the signals before it. */
  receiveDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.#enqueue('applying a remote description', () => this.#onDescription(description));
  }

  /** A candidate from the remote peer; kept until a remote description exists. */
  receiveCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    return this.#enqueue('adding a remote candidate', () => this.#onCandidate(candidate));
  }

  close(): void {
    this.#closed = true;
    this.#pendingCandidates = [];
    clearTimeout(this.#resendTimer);
  }

  /**
   * Sends offer number `offer` again if it is still unanswered after a while: as the local
   * description is now, with the candidates gathered since (those sent may be lost too).
   * Every offer comes from negotiationNeeded, so a rollback followed by a new offer changes
   * the number.
   */
  #watchAnswer(offer: number, resends: number): void {
    clearTimeout(this.#resendTimer);
    if (resends >= this.#maxResends) return;
    this.#resendTimer = setTimeout(() => {
      const pc = this.#pc;
      const description = pc.localDescription;
      if (this.#closed || offer !== this.#offers || pc.signalingState !== 'have-local-offer' || description?.type !== 'offer') return;
      this.#offerResent = true;
      this.#events.resent?.();
      this.#events.sendDescription({ type: description.type, sdp: description.sdp });
      this.#watchAnswer(offer, resends + 1);
    }, this.#resendAfterMs);
  }

  async #onDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const pc = this.#pc;
    // The answer to a copy of an offer already answered.
    if (description.type === 'answer' && pc.signalingState === 'stable' && this.#offerResent) return;
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.polite && offerCollision;
    if (this.#ignoreOffer) return;
    this.#isSettingRemoteAnswerPending = description.type === 'answer';
    try {
      await pc.setRemoteDescription(description);
    } finally {
      this.#isSettingRemoteAnswerPending = false;
    }
    if (description.type === 'answer') clearTimeout(this.#resendTimer);
    await this.#flushCandidates();
    if (description.type === 'offer' && !this.#closed) {
      this.#events.beforeAnswer?.();
      await pc.setLocalDescription();
      const answer = pc.localDescription;
      if (answer && !this.#closed) this.#events.sendDescription({ type: answer.type, sdp: answer.sdp });
    }
  }

  async #onCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.#pc.remoteDescription) {
      this.#pendingCandidates.push(candidate);
      return;
    }
    await this.#addCandidate(candidate);
  }

  async #flushCandidates(): Promise<void> {
    const pending = this.#pendingCandidates;
    this.#pendingCandidates = [];
    for (const candidate of pending) await this.#addCandidate(candidate);
  }

  async #addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.#pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an offer we ignored are expected to fail.
      if (!this.#ignoreOffer) throw error;
    }
  }

  #enqueue(during: string, task: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed) return;
      try {
        await task();
      } catch (error) {
        if (!this.#closed) this.#events.error(error, during);
      }
    });
    return this.#queue;
  }
}
