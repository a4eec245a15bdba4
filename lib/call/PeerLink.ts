/**
 * PeerLink: our RTCPeerConnection to one remote participant. It sends our camera,
 * microphone and screen, negotiates with the Negotiator (perfect negotiation), trickles
 * candidates, and heals itself: on ICE `disconnected` (after a short grace) or `failed`
 * it restarts ICE with a fresh ICE config (retrying, up to MAX_RESTARTS times), then reports
 * `failed` (the UI offers a retry). `close()` closes the connection and its timers.
 */
import type { IceConfig, RequestData } from '../signaling/protocol';
import type { LinkState } from '../stores/peers';
import { applyPolicy, cameraDegradation, cameraPolicy, screenPolicy } from './bandwidth';
import type { LocalMedia } from './LocalMedia';
import { mark, peerMarkName } from './marks';
import { isPolite, Negotiator } from './Negotiator';
import { summarizeStats, type LinkStats } from './stats';

const DISCONNECTED_GRACE_MS = 2500;
/** A link that waits for the remote offer sends its own after this long without one. */
const AWAIT_OFFER_MS = 6000;
/** A link not connected this long after it was created starts recovering. */
const CONNECT_TIMEOUT_MS = 20_000;
/** After an ICE restart, how long to wait before trying again. */
const RESTART_CHECK_MS = 10_000;
/** The next attempt when gathering found no candidate at all. */
const NO_CANDIDATES_RETRY_MS = 1500;
const POLITE_RESTART_DELAY_MS = 3000;
/** How long after the link first connects the camera keeps its resolution (bandwidth.ts cameraDegradation). */
const STARTUP_MS = 3000;
const MAX_RESTARTS = 4;

export type CandidatePayload = RequestData<'candidate'>['candidate'];

export interface PeerLinkHost {
  sendDescription(to: string, description: RTCSessionDescriptionInit): void;
  sendCandidate(to: string, candidate: NonNullable<CandidatePayload>): void;
  /** A fresh ICE config from the server (TURN credentials may have expired). */
  fetchIceConfig(): Promise<IceConfig>;
  stateChanged(peerId: string, state: LinkState): void;
  /** A remote stream appeared, changed or went away. */
  mediaChanged(peerId: string): void;
  log(message: string, detail?: unknown): void;
}

export interface PeerLinkSetup {
  iceConfig: IceConfig;
  media: LocalMedia;
  initiator: boolean;
  participants: number;
}

export class PeerLink {
  readonly remoteId: string;
  readonly pc: RTCPeerConnection;
  readonly #negotiator: Negotiator;
  readonly #host: PeerLinkHost;
  readonly #remoteStreams = new Map<string, MediaStream>();
  #senders: { audio?: RTCRtpSender; video?: RTCRtpSender; screen?: RTCRtpSender } = {};
  /** Starts as connecting; the owner shows that when it creates the link. */
  #state: LinkState = 'connecting';
  #restarts = 0;
  #disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  #recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Until STARTUP_MS after the first connection: the camera keeps its resolution. */
  #startingUp = true;
  #startupTimer: ReturnType<typeof setTimeout> | undefined;
  /** Local candidates gathered since the last (re)start. */
  #gathered = 0;
  #participants: number;
  #lastStats: LinkStats | null = null;
  #media: LocalMedia;
  #mediaAttached = false;
  #awaitOfferTimer: ReturnType<typeof setTimeout> | undefined;
  #remoteDescriptionMarked = false;
  /** The send-policy update in progress, and whether another was asked for meanwhile. */
  #policyUpdate: Promise<void> | undefined;
  #policyAgain = false;
  #closed = false;

  /**
   * `initiator`: add our tracks now, which makes us offer. Otherwise wait for the remote
   * offer and add them to our answer: only one side starts, so a new link never glares
   * (Chromium may stop gathering candidates after rolling back a first offer).
   * `participants`: the call's size, for the send policy (bandwidth.ts).
   */
  constructor(selfId: string, remoteId: string, setup: PeerLinkSetup, host: PeerLinkHost) {
    const { iceConfig, media, initiator } = setup;
    this.remoteId = remoteId;
    this.#host = host;
    this.#participants = setup.participants;
    this.pc = new RTCPeerConnection({ iceServers: iceConfig.iceServers, iceTransportPolicy: iceConfig.iceTransportPolicy });
    this.#negotiator = new Negotiator(this.pc, isPolite(selfId, remoteId), {
      sendDescription: (description) => {
        this.trace(`send ${description.type}`);
        host.sendDescription(remoteId, description);
      },
      error: (error, during) => {
        this.trace(`error while ${during}: ${error instanceof Error ? error.message : String(error)}`);
        host.log(`negotiation with ${remoteId} failed while ${during}`, error);
      },
      beforeAnswer: () => this.#attachMedia(),
      resent: () => this.trace('offer unanswered: sent again'),
    });
    this.#media = media;
    this.pc.addEventListener('negotiationneeded', () => {
      this.trace('negotiationneeded');
      void this.#negotiator.negotiationNeeded();
    });
    this.pc.addEventListener('signalingstatechange', () => {
      this.trace(`signaling ${this.pc.signalingState}`);
      // signalingstatechange fires as setRemoteDescription applies an offer or an answer.
      if (!this.#remoteDescriptionMarked && this.pc.remoteDescription) {
        this.#remoteDescriptionMarked = true;
        mark(peerMarkName('remote-description', remoteId));
      }
    });
    this.pc.addEventListener('icegatheringstatechange', () => this.#onGatheringState());
    this.pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate || !candidate.candidate) return;
      this.#gathered++;
      host.sendCandidate(remoteId, {
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid,
        sdpMLineIndex: candidate.sdpMLineIndex,
        usernameFragment: candidate.usernameFragment,
      });
    });
    this.pc.addEventListener('track', ({ track, streams }) => this.#onTrack(track, streams));
    this.pc.addEventListener('connectionstatechange', () => this.#onConnectionState());
    this.#connectTimer = setTimeout(() => {
      if (this.pc.connectionState !== 'connected') this.#recover('not connected in time');
    }, CONNECT_TIMEOUT_MS);
    if (initiator) {
      this.#attachMedia();
      // Offer now rather than from `negotiationneeded`, a task queued behind whatever the
      // page runs next (the join's handling and a render: about 16 ms). The event still
      // fires for later changes; for this first offer the browser skips it, as the
      // signaling state is no longer stable once the offer is set.
      this.trace('offer at once');
      void this.#negotiator.negotiationNeeded();
    } else this.#awaitOfferTimer = setTimeout(() => this.#attachMedia(), AWAIT_OFFER_MS);
  }

  get state(): LinkState {
    return this.#state;
  }

  get polite(): boolean {
    return this.#negotiator.polite;
  }

  /** The remote participant's streams (camera+mic, and screen when shared), by stream id. */
  remoteStreams(): MediaStream[] {
    return [...this.#remoteStreams.values()];
  }

  /** Starts sending what the local media has now (once). */
  #attachMedia(): void {
    clearTimeout(this.#awaitOfferTimer);
    if (this.#mediaAttached || this.#closed) return;
    this.#mediaAttached = true;
    const media = this.#media;
    if (media.audioTrack) this.#senders.audio = this.pc.addTrack(media.audioTrack, media.stream);
    if (media.videoTrack) this.#senders.video = this.pc.addTrack(media.videoTrack, media.stream);
    if (media.screenTrack && media.screenStream) this.#senders.screen = this.pc.addTrack(media.screenTrack, media.screenStream);
    // With nothing to send we still receive: offer to receive audio and video.
    if (!hasTracks(media)) {
      this.pc.addTransceiver('audio', { direction: 'recvonly' });
      this.pc.addTransceiver('video', { direction: 'recvonly' });
    }
    void this.applySendPolicy(this.#participants);
  }

  /** A local track changed: replace it in place (no renegotiation) or add/remove the sender. */
  async setTrack(kind: 'audio' | 'video' | 'screen', track: MediaStreamTrack | null, stream: MediaStream | null): Promise<void> {
    // Before attaching, the current tracks are taken when the link attaches.
    if (this.#closed || !this.#mediaAttached) return;
    const sender = this.#senders[kind];
    if (kind === 'screen') {
      if (sender) {
        this.pc.removeTrack(sender);
        delete this.#senders.screen;
      }
      if (track && stream) this.#senders.screen = this.pc.addTrack(track, stream);
      void this.applySendPolicy(this.#participants);
      return;
    }
    if (sender) {
      await sender.replaceTrack(track).catch((error: unknown) => this.#host.log(`replaceTrack(${kind}) failed`, error));
    } else if (track && stream) {
      this.#senders[kind] = this.pc.addTrack(track, stream);
      void this.applySendPolicy(this.#participants);
    }
  }

  /** Recent negotiation events, for debugging (read through the test hook). */
  readonly traceLog: string[] = [];

  trace(event: string): void {
    this.traceLog.push(`${Math.round(performance.now())} ${event}`);
    if (this.traceLog.length > 100) this.traceLog.shift();
  }

  receiveDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.trace(`recv ${description.type}`);
    return this.#negotiator.receiveDescription(description).then(() => this.applySendPolicy(this.#participants));
  }

  receiveCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    return this.#negotiator.receiveCandidate(candidate);
  }

  /**
   * Caps what we send on this link for a call of `participants` people (see bandwidth.ts).
   * One update runs at a time and a call during it runs once more after it: parameters
   * read while a `setParameters` is pending are stale (Firefox returns the old ones),
   * which would set the same change again.
   */
  applySendPolicy(participants: number): Promise<void> {
    this.#participants = participants;
    if (this.#policyUpdate) {
      this.#policyAgain = true;
      return this.#policyUpdate;
    }
    const update = async (): Promise<void> => {
      try {
        do {
          this.#policyAgain = false;
          await this.#updateSenders();
        } while (this.#policyAgain && !this.#closed);
      } finally {
        // Cleared in the same step as the last check: a call after it starts a new update.
        this.#policyUpdate = undefined;
      }
    };
    this.#policyUpdate = update();
    return this.#policyUpdate;
  }

  async #updateSenders(): Promise<void> {
    const participants = this.#participants;
    for (const kind of ['video', 'screen'] as const) {
      const sender = this.#senders[kind];
      if (!sender || this.#closed) continue;
      const parameters = sender.getParameters();
      const changed =
        kind === 'video'
          ? applyPolicy(parameters, cameraPolicy(participants, this.#senders.screen !== undefined), cameraDegradation(this.#startingUp))
          : applyPolicy(parameters, screenPolicy(participants));
      if (!changed) continue;
      this.trace(`setParameters ${kind} ${parameters.degradationPreference ?? ''}`.trimEnd());
      await sender.setParameters(parameters).catch((error: unknown) => this.#host.log(`setParameters(${kind}) failed`, error));
    }
  }

  /** New TURN credentials for the next ICE gathering. */
  updateIceConfig(iceConfig: IceConfig): void {
    if (this.#closed) return;
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: iceConfig.iceServers, iceTransportPolicy: iceConfig.iceTransportPolicy });
  }

  async stats(): Promise<LinkStats> {
    this.#lastStats = summarizeStats(await this.pc.getStats(), this.#lastStats);
    return this.#lastStats;
  }

  /** Audio level (0..1) of what we receive, from the RTP receiver (no audio graph needed). */
  remoteAudioLevel(): number {
    for (const receiver of this.pc.getReceivers()) {
      if (receiver.track.kind !== 'audio') continue;
      const source = receiver.getSynchronizationSources()[0];
      if (source?.audioLevel !== undefined) return source.audioLevel;
    }
    return 0;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#disconnectedTimer);
    clearTimeout(this.#awaitOfferTimer);
    clearTimeout(this.#recoveryTimer);
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#startupTimer);
    this.#negotiator.close();
    this.pc.close();
    this.#remoteStreams.clear();
  }

  #onTrack(track: MediaStreamTrack, streams: readonly MediaStream[]): void {
    const stream = streams[0] ?? new MediaStream([track]);
    this.trace(`track ${track.kind}:${track.id.slice(0, 8)} in ${stream.id.slice(0, 8)}`);
    if (!this.#remoteStreams.has(stream.id)) {
      this.#remoteStreams.set(stream.id, stream);
      stream.addEventListener('removetrack', ({ track: removed }) => {
        this.trace(`removetrack ${removed.kind}:${removed.id.slice(0, 8)} from ${stream.id.slice(0, 8)}`);
        if (stream.getTracks().length === 0) this.#remoteStreams.delete(stream.id);
        this.#host.mediaChanged(this.remoteId);
      });
    }
    track.addEventListener('unmute', () => this.#host.mediaChanged(this.remoteId));
    track.addEventListener('ended', () => this.#host.mediaChanged(this.remoteId));
    this.#host.mediaChanged(this.remoteId);
  }

  #onConnectionState(): void {
    if (this.#closed) return;
    const state = this.pc.connectionState;
    clearTimeout(this.#disconnectedTimer);
    if (state === 'connected') {
      mark(peerMarkName('connected', this.remoteId));
      this.#restarts = 0;
      clearTimeout(this.#connectTimer);
      clearTimeout(this.#recoveryTimer);
      this.#recoveryTimer = undefined;
      if (this.#startingUp && this.#startupTimer === undefined) {
        this.#startupTimer = setTimeout(() => {
          this.#startingUp = false;
          void this.applySendPolicy(this.#participants);
        }, STARTUP_MS);
      }
      this.#setState('connected');
    } else if (state === 'disconnected') {
      this.#setState('reconnecting');
      this.#disconnectedTimer = setTimeout(() => {
        if (this.pc.connectionState === 'disconnected') this.#recover('disconnected');
      }, DISCONNECTED_GRACE_MS);
    } else if (state === 'failed') {
      this.#recover('failed');
    }
  }

  #onGatheringState(): void {
    // Nothing to offer the other side (TURN refused us, no interface): waiting cannot help.
    if (this.pc.iceGatheringState === 'complete' && this.#gathered === 0 && !this.#closed) {
      this.#host.log(`no ICE candidates for the link to ${this.remoteId}`);
      this.#recover('no candidates', NO_CANDIDATES_RETRY_MS);
    }
  }

  /**
   * Starts (or continues) recovery: restart ICE with a fresh ICE config now, then check
   * again after a while, up to MAX_RESTARTS times; after that the link is `failed`. The
   * impolite side restarts first; the polite side waits a little, so that usually only
   * one ICE-restart offer is made.
   */
  #recover(reason: string, retryMs = RESTART_CHECK_MS): void {
    if (this.#closed) return;
    if (this.#recoveryTimer !== undefined) {
      // Already recovering: a faster verdict only moves the next attempt earlier.
      if (retryMs < RESTART_CHECK_MS) this.#scheduleRecovery(retryMs);
      return;
    }
    this.#setState('reconnecting');
    const delay = this.#restarts === 0 && this.polite ? POLITE_RESTART_DELAY_MS : 0;
    this.#recoveryTimer = setTimeout(() => void this.#restartIce(reason, retryMs), delay);
  }

  #scheduleRecovery(ms: number): void {
    clearTimeout(this.#recoveryTimer);
    this.#recoveryTimer = setTimeout(() => {
      if (this.pc.connectionState !== 'connected') void this.#restartIce('still not connected', RESTART_CHECK_MS);
    }, ms);
  }

  async #restartIce(reason: string, retryMs: number): Promise<void> {
    if (this.#closed || this.pc.connectionState === 'connected') return;
    if (this.#restarts >= MAX_RESTARTS) {
      this.#host.log(`link to ${this.remoteId} failed after ${MAX_RESTARTS} ICE restarts`);
      this.#recoveryTimer = undefined;
      this.#setState('failed');
      return;
    }
    this.#restarts++;
    this.#setState('reconnecting');
    this.#host.log(`restarting ICE with ${this.remoteId} (${reason}, attempt ${this.#restarts})`);
    this.#scheduleRecovery(retryMs);
    try {
      this.updateIceConfig(await this.#host.fetchIceConfig());
    } catch (error) {
      this.#host.log('could not refresh the ICE config; restarting with the old one', error);
    }
    if (this.#closed) return;
    this.#gathered = 0;
    this.pc.restartIce();
  }

  #setState(state: LinkState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#host.stateChanged(this.remoteId, state);
  }
}

function hasTracks(media: LocalMedia): boolean {
  return media.audioTrack !== null || media.videoTrack !== null || media.screenTrack !== null;
}
