/**
 * PeerLink: our RTCPeerConnection to one remote participant. It sends our camera,
 * microphone and screen, negotiates with the Negotiator (perfect negotiation), trickles
 * candidates, and heals itself: on ICE `disconnected` (after a short grace) or `failed`
 * it restarts ICE with a fresh ICE config, up to MAX_RESTARTS times, then reports
 * `failed` (the UI offers a retry). `close()` closes the connection and its timers.
 */
import type { IceConfig, RequestData } from '../signaling/protocol';
import type { LinkState } from '../stores/peers';
import { applyPolicy, cameraPolicy, screenPolicy } from './bandwidth';
import type { LocalMedia } from './LocalMedia';
import { isPolite, Negotiator } from './Negotiator';
import { summarizeStats, type LinkStats } from './stats';

const DISCONNECTED_GRACE_MS = 2500;
/** A link that waits for the remote offer sends its own after this long without one. */
const AWAIT_OFFER_MS = 6000;
const MAX_RESTARTS = 3;

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

export class PeerLink {
  readonly remoteId: string;
  readonly pc: RTCPeerConnection;
  readonly #negotiator: Negotiator;
  readonly #host: PeerLinkHost;
  readonly #remoteStreams = new Map<string, MediaStream>();
  #senders: { audio?: RTCRtpSender; video?: RTCRtpSender; screen?: RTCRtpSender } = {};
  #state: LinkState = 'new';
  #restarts = 0;
  #disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  #participants = 2;
  #lastStats: LinkStats | null = null;
  #media: LocalMedia;
  #mediaAttached = false;
  #awaitOfferTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /**
   * `initiator`: add our tracks now, which makes us offer. Otherwise wait for the remote
   * offer and add them to our answer: only one side starts, so a new link never glares
   * (Chromium may stop gathering candidates after rolling back a first offer).
   */
  constructor(selfId: string, remoteId: string, iceConfig: IceConfig, media: LocalMedia, initiator: boolean, host: PeerLinkHost) {
    this.remoteId = remoteId;
    this.#host = host;
    this.pc = new RTCPeerConnection({ iceServers: iceConfig.iceServers, iceTransportPolicy: iceConfig.iceTransportPolicy });
    this.#negotiator = new Negotiator(this.pc, isPolite(selfId, remoteId), {
      sendDescription: (description) => {
        this.trace(`send ${description.type}`);
        host.sendDescription(remoteId, description);
      },
      error: (error, during) => host.log(`negotiation with ${remoteId} failed while ${during}`, error),
      beforeAnswer: () => this.#attachMedia(),
    });
    this.#media = media;
    this.pc.addEventListener('negotiationneeded', () => {
      this.trace('negotiationneeded');
      void this.#negotiator.negotiationNeeded();
    });
    this.pc.addEventListener('signalingstatechange', () => this.trace(`signaling ${this.pc.signalingState}`));
    this.pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate || !candidate.candidate) return;
      host.sendCandidate(remoteId, {
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid,
        sdpMLineIndex: candidate.sdpMLineIndex,
        usernameFragment: candidate.usernameFragment,
      });
    });
    this.pc.addEventListener('track', ({ track, streams }) => this.#onTrack(track, streams));
    this.pc.addEventListener('connectionstatechange', () => this.#onConnectionState());
    this.#setState('connecting');
    if (initiator) this.#attachMedia();
    else this.#awaitOfferTimer = setTimeout(() => this.#attachMedia(), AWAIT_OFFER_MS);
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

  /** Caps what we send on this link for a call of `participants` people (see bandwidth.ts). */
  async applySendPolicy(participants: number): Promise<void> {
    this.#participants = participants;
    for (const kind of ['video', 'screen'] as const) {
      const sender = this.#senders[kind];
      if (!sender || this.#closed) continue;
      const parameters = sender.getParameters();
      if (!applyPolicy(parameters, kind === 'video' ? cameraPolicy(participants) : screenPolicy(participants))) continue;
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
    this.#negotiator.close();
    this.pc.close();
    this.#remoteStreams.clear();
  }

  #onTrack(track: MediaStreamTrack, streams: readonly MediaStream[]): void {
    const stream = streams[0] ?? new MediaStream([track]);
    if (!this.#remoteStreams.has(stream.id)) {
      this.#remoteStreams.set(stream.id, stream);
      stream.addEventListener('removetrack', () => {
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
      this.#restarts = 0;
      this.#setState('connected');
    } else if (state === 'disconnected') {
      this.#setState('reconnecting');
      this.#disconnectedTimer = setTimeout(() => {
        if (this.pc.connectionState === 'disconnected') void this.#restartIce('disconnected');
      }, DISCONNECTED_GRACE_MS);
    } else if (state === 'failed') {
      void this.#restartIce('failed');
    }
  }

  async #restartIce(reason: string): Promise<void> {
    if (this.#closed) return;
    if (this.#restarts >= MAX_RESTARTS) {
      this.#host.log(`link to ${this.remoteId} failed after ${MAX_RESTARTS} ICE restarts`);
      this.#setState('failed');
      return;
    }
    this.#restarts++;
    this.#setState('reconnecting');
    this.#host.log(`restarting ICE with ${this.remoteId} (${reason}, attempt ${this.#restarts})`);
    try {
      this.updateIceConfig(await this.#host.fetchIceConfig());
    } catch (error) {
      this.#host.log('could not refresh the ICE config; restarting with the old one', error);
    }
    if (!this.#closed) this.pc.restartIce();
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
