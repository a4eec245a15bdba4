/**
 * RoomClient: one call, for the browser. It owns the signaling connection (a protoo
 * peer), uses the LocalMedia it is given, and keeps one PeerLink per remote participant.
 * It turns notifications into store updates; components read the stores and call its
 * methods, and never touch WebRTC or protoo themselves.
 *
 * Resilience:
 * - the signaling socket reconnects by itself, also when it died silently (signalingPeer.ts);
 *   on every (re)open we join with our resume token, and within the server's grace the
 *   call resumes with the peer links untouched;
 * - a reloaded page resumes the same identity (lib/call/identity.ts) and resets each link
 *   with a `hangup {reason:'reset'}` handshake, ignoring stale signals until the
 *   `reset-ack`;
 * - signals sent while the socket is down are queued and sent after the resume.
 */
import { PeerClosedError, ResponseError, type CloseInfo, type IncomingNotification } from '../protoo/client';
import { signalingUrl } from '../signaling/path';
import { CloseCode, ErrorCode } from '../signaling/constants';
import type { ChatMessage, IceConfig, JoinResponse, PresenceShow, RequestData, ServerSends } from '../signaling/protocol';
import { cleanText } from '../signaling/text';
import {
  chatActions,
  chatStore,
  connectionActions,
  connectionStore,
  mediaActions,
  mediaStore,
  peersActions,
  peersStore,
  uiActions,
  uiStore,
  type DeviceKind,
  type EndReason,
} from '../stores';
import { AudioLevelMeter } from './AudioLevelMeter';
import { forgetIdentity, loadIdentity, newPeerId, saveIdentity, type Identity } from './identity';
import type { LocalMedia, LocalTrackKind } from './LocalMedia';
import { JOIN_MARK, JOINED_MARK, mark } from './marks';
import { PeerLink } from './PeerLink';
import type { LinkStats } from './stats';
import { signalingPeer, type SignalingPeer } from './signalingPeer';
import { installTestHook } from './testHook';

type Notification = IncomingNotification<ServerSends>;
type SignalMethod = 'offer' | 'answer' | 'candidate' | 'hangup';

const SPEAKING_POLL_MS = 250;
const REMOTE_SPEAKING_LEVEL = 0.02;
const LOCAL_SPEAKING_LEVEL = 0.12;
/** Refresh TURN credentials this long before they expire. */
const ICE_REFRESH_MARGIN_MS = 60_000;
/**
 * Reconnect quickly and keep at it: attempts 0.5 s apart at first, then every 3 s at most
 * (with jitter), for about a minute and a half, so a short outage resumes well within the
 * server's grace.
 */
const RECONNECT_RETRY = { retries: 30, factor: 1.6, minTimeout: 500, maxTimeout: 3000, randomize: true };
/** How long an action (like sending chat) waits for a dropped connection to resume. */
const RESUME_WAIT_MS = 30_000;
/**
 * hangup reasons: `reset:<nonce>` asks the peer to drop its side of our link and start
 * afresh; `reset-ack:<nonce>` says it has. The nonce makes a copy of a reset harmless.
 */
const RESET = 'reset';
const RESET_ACK = 'reset-ack';
/**
 * A reset or its ack written into a socket that died silently is lost: an unacknowledged
 * reset is sent again this often, this many times in all; then the tile offers a retry.
 */
const RESET_RETRY_MS = 10_000;
const RESET_ATTEMPTS = 6;

/** A reset we sent and wait to see acknowledged: its nonce, and the timer that sends it again. */
interface PendingReset {
  nonce: string;
  timer?: ReturnType<typeof setTimeout>;
  /** Every copy went unanswered and the tile shows the link failed. */
  gaveUp?: boolean;
}

export interface RemoteStreams {
  camera: MediaStream | null;
  screen: MediaStream | null;
}

export class RoomClient {
  readonly roomId: string;
  readonly #media: LocalMedia;
  readonly #links = new Map<string, PeerLink>();
  /** Peers we sent a reset to; their signals are stale until their reset-ack. */
  readonly #awaitingReset = new Map<string, PendingReset>();
  /** The last reset nonce handled from each peer: a copy of it is only acknowledged again. */
  readonly #resetsHandled = new Map<string, string>();
  #identity: Identity;
  #peer: SignalingPeer | undefined;
  #iceConfig: IceConfig = { iceServers: [], iceTransportPolicy: 'all', expiresAt: null };
  #joinedOnce = false;
  #joining = false;
  #retriedIdentity = false;
  #serverClosing = false;
  #outbox: [SignalMethod, RequestData<SignalMethod>][] = [];
  /** Whether the server keeps chat (its history size is not 0): a resume then shows what arrived. */
  #chatKept = true;
  /** Our messages a send that lost its answer has found in the resume's chat. */
  readonly #claimedChat = new Set<string>();
  /** The media fields last sent to the server (JSON), so only real changes are published. */
  #publishedFields = '';
  #iceTimer: ReturnType<typeof setTimeout> | undefined;
  #speakingTimer: ReturnType<typeof setInterval> | undefined;
  #localMeter: AudioLevelMeter | undefined;
  #unsubscribeMedia: (() => void) | undefined;
  #removeTestHook: (() => void) | undefined;
  /** The last peer joins and leaves seen ("joined:<id>", "left:<id>"), for the test hook. */
  readonly peerEvents: string[] = [];
  #closed = false;

  constructor(roomId: string, media: LocalMedia) {
    this.roomId = roomId;
    this.#media = media;
    this.#identity = loadIdentity(roomId);
  }

  get selfId(): string {
    return this.#identity.peerId;
  }

  /** Connects and joins; progress and outcome go to the connection store. */
  join(): void {
    if (this.#peer || this.#closed) return;
    mark(JOIN_MARK);
    connectionActions.set({ phase: 'joining', signaling: 'connecting', joinError: null, endReason: null });
    const stopTracks = this.#media.onTrack((kind, track) => this.#onLocalTrack(kind, track));
    const stopFields = mediaStore.subscribe(() => this.#publishMediaState());
    this.#unsubscribeMedia = () => {
      stopTracks();
      stopFields();
    };
    this.#connect();
    this.#speakingTimer = setInterval(() => this.#pollSpeaking(), SPEAKING_POLL_MS);
    this.#watchLocalLevel();
    this.#removeTestHook = installTestHook(this);
  }

  /** Leaves the room for good and closes everything. */
  async leave(): Promise<void> {
    if (this.#closed) return;
    const peer = this.#peer;
    if (peer?.connected && connectionStore.getState().phase === 'joined') {
      await peer.request('leave', {}).catch(() => undefined);
    }
    forgetIdentity(this.roomId);
    this.#end('left');
  }

  /** Closes everything without leaving (the page is going away; others see us reconnect, then time out). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#iceTimer);
    clearInterval(this.#speakingTimer);
    this.#localMeter?.close();
    this.#unsubscribeMedia?.();
    this.#removeTestHook?.();
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
    this.#stopAwaitingResets();
    if (this.#peer) {
      this.#peer.removeAllListeners();
      this.#peer.close();
    }
  }

  // ---- user actions ---------------------------------------------------------

  async toggleMic(): Promise<void> {
    await this.#media.setMicEnabled(!mediaStore.getState().audioEnabled);
    this.#watchLocalLevel();
  }

  async toggleCamera(): Promise<void> {
    await this.#media.setCameraEnabled(!mediaStore.getState().videoEnabled);
  }

  async toggleScreenShare(): Promise<void> {
    if (mediaStore.getState().screenSharing) this.#media.stopScreenShare();
    else await this.#media.startScreenShare();
    // Track changes reach the links through onTrack; the fields tell the others which stream is the screen.
  }

  async selectDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    await this.#media.selectDevice(kind, deviceId);
    if (kind === 'audioinput') this.#watchLocalLevel();
  }

  /** Asks the user for a speaker (see LocalMedia.chooseSpeaker); a message when none could be chosen. */
  chooseSpeaker(): Promise<string | null> {
    return this.#media.chooseSpeaker();
  }

  /**
   * Sends a chat message. It shows as sending, then among the messages, or as not sent with
   * the reason (resendChat tries again). While the connection is resuming it waits (up to
   * 30 s) and sends then.
   */
  sendChat(text: string, to?: string): Promise<void> {
    return this.#deliverChat(chatActions.sending(text, to), text, to);
  }

  /** Tries an outgoing message that was not sent once more. */
  resendChat(key: number): Promise<void> {
    const outgoing = chatStore.getState().outgoing.find((candidate) => candidate.key === key);
    if (!outgoing || outgoing.error === null) return Promise.resolve();
    chatActions.retrying(key);
    return this.#deliverChat(key, outgoing.text, outgoing.to);
  }

  async #deliverChat(key: number, text: string, to: string | undefined): Promise<void> {
    try {
      const peer = await this.#connectedPeer();
      // Seqs grow with time: ours, once stamped, is past every one we have seen.
      const lastSeq = chatStore.getState().messages.at(-1)?.seq ?? 0;
      try {
        const { message } = await peer.request('chat', to === undefined ? { text } : { text, to });
        chatActions.sent(key, message);
      } catch (error) {
        if (!(error instanceof PeerClosedError)) throw error;
        // The socket dropped (or was found dead) with the message or its response in it. The
        // resume's chat has our messages (public and private): it tells whether this one arrived.
        // Sending it again ourselves could make a copy; the user decides.
        await this.#connectedPeer().catch(() => undefined);
        const arrived = this.#claimArrived(lastSeq, text, to);
        if (arrived) return chatActions.sent(key, arrived);
        const reason = this.#chatKept ? 'Not sent: the connection dropped.' : 'The connection dropped: it may not have been sent.';
        throw new Error(reason, { cause: error });
      }
    } catch (error) {
      chatActions.failed(key, error instanceof Error ? error.message : 'Could not send the message.');
      if (uiStore.getState().panel !== 'chat') uiActions.toast('A chat message was not sent: open the chat to send it again.', 'warn');
    }
  }

  /**
   * A message of ours with this text and recipient stamped after `lastSeq` that no other
   * send has claimed (two lost "ok"s are not both the one that arrived).
   */
  #claimArrived(lastSeq: number, text: string, to: string | undefined): ChatMessage | undefined {
    const sent = cleanText(text, true);
    const arrived = chatStore
      .getState()
      .messages.find((message) => message.seq > lastSeq && !this.#claimedChat.has(message.id) && message.from === this.selfId && message.text === sent && message.to === to);
    if (arrived) this.#claimedChat.add(arrived.id);
    return arrived;
  }

  async setPresence(show: PresenceShow, status?: string): Promise<void> {
    const presence = status ? { show, status } : { show };
    mediaActions.set({ presence });
    await (await this.#connectedPeer()).request('setPresence', presence);
  }

  /** Starts a fresh link to a peer whose link failed. */
  retryLink(peerId: string): void {
    if (!peersStore.getState().byId[peerId]) return;
    this.#resetLink(peerId);
  }

  // ---- what components read -------------------------------------------------

  localStream(): MediaStream {
    return this.#media.stream;
  }

  localScreen(): MediaStream | null {
    return this.#media.screenStream;
  }

  remoteStreams(peerId: string): RemoteStreams {
    const link = this.#links.get(peerId);
    const screenId = peersStore.getState().byId[peerId]?.fields.screenStream;
    let camera: MediaStream | null = null;
    let screen: MediaStream | null = null;
    for (const stream of link?.remoteStreams() ?? []) {
      if (typeof screenId === 'string' && stream.id === screenId) screen = stream;
      else if (!camera || stream.getAudioTracks().length > 0) camera = stream;
    }
    return { camera, screen };
  }

  linkStats(peerId: string): Promise<LinkStats> | null {
    return this.#links.get(peerId)?.stats() ?? null;
  }

  /** For the test hook: the negotiation trace of one link. */
  linkTrace(peerId: string): string[] {
    return [...(this.#links.get(peerId)?.traceLog ?? [])];
  }

  /** For the test hook: the peer connections by remote peer id. */
  peerConnections(): Map<string, RTCPeerConnection> {
    return new Map([...this.#links].map(([id, link]) => [id, link.pc]));
  }

  // ---- signaling --------------------------------------------------------------

  #connect(): void {
    const url = signalingUrl(window.location, { roomId: this.roomId, peerId: this.#identity.peerId });
    const peer = signalingPeer(url, { retry: RECONNECT_RETRY, requestTimeout: 15_000 });
    this.#peer = peer;
    peer.on('open', () => void this.#join(peer));
    peer.on('disconnected', () => this.#onSignalingLost());
    peer.on('failed', () => {
      if (connectionStore.getState().phase === 'joined') this.#onSignalingLost();
    });
    peer.on('close', (info) => this.#onSignalingClosed(info));
    peer.on('notification', (notification) => this.#onNotification(notification));
  }

  async #join(peer: SignalingPeer): Promise<void> {
    if (this.#joining) return;
    this.#joining = true;
    const { displayName, presence } = mediaStore.getState();
    let joined = false;
    try {
      const response = await peer.request('join', {
        displayName,
        presence,
        fields: this.#joinFields(),
        device: deviceInfo(),
        ...(this.#identity.resumeToken ? { resumeToken: this.#identity.resumeToken } : {}),
      });
      if (peer === this.#peer && !this.#closed) {
        this.#applyJoin(response);
        joined = true;
      }
    } catch (error) {
      if (peer === this.#peer) this.#onJoinError(error);
    } finally {
      this.#joining = false;
    }
    // The join carried the fields of its start. A camera or microphone that opened (or a
    // mute) while it was under way went unsent (#publishMediaState waits for the join): send it now.
    if (joined) this.#publishMediaState();
  }

  #onJoinError(error: unknown): void {
    if (!(error instanceof ResponseError)) return; // dropped mid-join: the next open retries
    switch (error.code) {
      case ErrorCode.ROOM_FULL:
        return this.#end('roomFull');
      case ErrorCode.SERVER_FULL:
        return this.#end('serverFull');
      case ErrorCode.FORBIDDEN:
        // Our saved id is someone else's now (for example a duplicated tab): start as someone new, once.
        if (!this.#retriedIdentity) {
          this.#retriedIdentity = true;
          this.#identity = { peerId: newPeerId() };
          this.#peer?.removeAllListeners();
          this.#peer?.close();
          this.#connect();
          return;
        }
        return this.#end('refused');
      default:
        connectionActions.set({ joinError: error.message });
        return this.#end('error');
    }
  }

  #applyJoin(response: JoinResponse): void {
    mark(JOINED_MARK);
    const wasJoined = this.#joinedOnce;
    this.#joinedOnce = true;
    this.#serverClosing = false;
    this.#identity = { peerId: response.self.id, resumeToken: response.resumeToken };
    saveIdentity(this.roomId, this.#identity);
    this.#setIceConfig(response.iceConfig);
    connectionActions.set({ phase: 'joined', signaling: 'connected', selfId: response.self.id });

    if (!response.resumed) {
      for (const link of this.#links.values()) link.close();
      this.#links.clear();
      this.#stopAwaitingResets();
      this.#resetsHandled.clear();
      // Signals queued for the links just closed would reach the others' new links.
      this.#outbox = [];
      peersActions.reset();
    }
    const present = new Set(response.peers.map((peer) => peer.id));
    // Whoever left meanwhile (their peerLeft went to the dead socket): forget all we had for them.
    const known = new Set([...this.#links.keys(), ...this.#awaitingReset.keys(), ...this.#resetsHandled.keys()]);
    for (const peerId of known) if (!present.has(peerId)) this.#dropPeer(peerId);
    for (const peerId of peersStore.getState().order) if (!present.has(peerId)) peersActions.remove(peerId);
    for (const info of response.peers) {
      peersActions.upsert(info);
      if (this.#links.has(info.id) || this.#awaitingReset.has(info.id)) continue;
      // A reloaded page resumed an identity whose links the others still hold: reset them.
      if (response.resumed && !wasJoined) this.#resetLink(info.id);
      // A newcomer waits for the offers of those already in the call; after a blip we start.
      else this.#createLink(info.id, response.resumed);
    }
    this.#chatKept = response.limits.chatHistorySize > 0;
    // After a blip, what the others wrote meanwhile is unread (unless the chat is open).
    const countUnread = wasJoined && uiStore.getState().panel !== 'chat';
    chatActions.add(
      response.chat.filter((message) => message.from !== response.self.id),
      countUnread,
    );
    chatActions.add(response.chat, false);
    this.#applySendPolicy();
    this.#flushOutbox();
  }

  #onSignalingLost(): void {
    if (this.#closed || connectionStore.getState().phase !== 'joined') return;
    connectionActions.set({ signaling: 'reconnecting' });
  }

  #onSignalingClosed(info: CloseInfo): void {
    if (this.#closed) return;
    if (info.code === CloseCode.FINAL && info.reason === 'replaced by a newer connection') {
      // Another tab took this identity; rejoining here must not take it back.
      forgetIdentity(this.roomId);
      return this.#end('replaced');
    }
    if (info.code === CloseCode.FINAL && info.reason === 'left') return this.#end('left');
    this.#end(this.#serverClosing ? 'serverClosing' : 'lost');
  }

  #onNotification(notification: Notification): void {
    switch (notification.method) {
      case 'peerJoined': {
        const { peer } = notification.data;
        this.#recordPeerEvent(`joined:${peer.id}`);
        // A fresh identity: whatever we still had for that id (its peerLeft was lost) is stale.
        this.#dropPeer(peer.id);
        peersActions.upsert(peer);
        this.#createLink(peer.id, true);
        uiActions.toast(`${peer.displayName} joined`);
        this.#applySendPolicy();
        return;
      }
      case 'peerLeft': {
        const name = peersStore.getState().byId[notification.data.peerId]?.displayName ?? 'Someone';
        this.#recordPeerEvent(`left:${notification.data.peerId}`);
        this.#dropPeer(notification.data.peerId);
        peersActions.remove(notification.data.peerId);
        uiActions.toast(notification.data.reason === 'timedOut' ? `${name} lost the connection` : `${name} left`);
        this.#applySendPolicy();
        return;
      }
      case 'peerUpdated': {
        const { peerId, changes } = notification.data;
        peersActions.update(peerId, changes);
        if (changes.fields) peersActions.mediaChanged(peerId, typeof changes.fields.screenStream === 'string');
        return;
      }
      case 'chat':
        chatActions.add([notification.data.message], uiStore.getState().panel !== 'chat');
        return;
      case 'offer':
      case 'answer': {
        const link = this.#linkFor(notification.data.from);
        if (link) void link.receiveDescription(notification.data.description);
        return;
      }
      case 'candidate': {
        const { candidate, from } = notification.data;
        const link = this.#linkFor(from);
        if (link && candidate) void link.receiveCandidate(candidate);
        return;
      }
      case 'hangup':
        return this.#onHangup(notification.data.from, notification.data.reason);
      case 'serverClosing':
        this.#serverClosing = true;
        connectionActions.set({ signaling: 'reconnecting' });
        return;
      case 'reject':
      case 'appMessage':
      case 'roomList':
        return;
    }
  }

  #recordPeerEvent(event: string): void {
    this.peerEvents.push(event);
    if (this.peerEvents.length > 100) this.peerEvents.shift();
  }

  #onHangup(from: string, reason: string | undefined): void {
    const [kind, nonce] = (reason ?? '').split(':', 2) as [string, string | undefined];
    if (kind === RESET_ACK) {
      const waiting = this.#awaitingReset.get(from);
      // An ack without a nonce comes from an older client.
      if (!waiting || (nonce !== undefined && nonce !== waiting.nonce)) return;
      clearTimeout(waiting.timer);
      this.#awaitingReset.delete(from);
      this.#links.get(from)?.close();
      this.#links.delete(from);
      if (peersStore.getState().byId[from]) this.#createLink(from, false);
      return;
    }
    const ack = nonce === undefined ? RESET_ACK : `${RESET_ACK}:${nonce}`;
    if (kind === RESET && nonce !== undefined) {
      // A copy of a reset already handled (its ack was lost or late): only acknowledge it again.
      if (this.#resetsHandled.get(from) === nonce) return this.#sendSignal('hangup', { to: from, reason: ack });
      this.#resetsHandled.set(from, nonce);
    }
    // Our reset to this peer went unanswered until we gave up; its own reset says its side
    // starts afresh too, so its signals are no longer stale: start over together.
    if (kind === RESET && this.#awaitingReset.get(from)?.gaveUp) this.#awaitingReset.delete(from);
    // Any other hangup: the peer dropped its side of our link. Start afresh and say so first.
    this.#links.get(from)?.close();
    this.#links.delete(from);
    this.#sendSignal('hangup', { to: from, reason: ack });
    if (!this.#awaitingReset.has(from) && peersStore.getState().byId[from]) this.#createLink(from, true);
  }

  /** The link a signal from `peerId` goes to; undefined while its signals are stale. */
  #linkFor(peerId: string): PeerLink | undefined {
    if (this.#awaitingReset.has(peerId) || !peersStore.getState().byId[peerId]) return undefined;
    return this.#links.get(peerId) ?? this.#createLink(peerId, false);
  }

  #sendSignal<M extends SignalMethod>(method: M, data: RequestData<M>): void {
    const peer = this.#peer;
    if (!peer?.connected || connectionStore.getState().signaling !== 'connected') {
      this.#outbox.push([method, data]);
      return;
    }
    peer.request(method, data as never).catch((error: unknown) => {
      // An unknown peer has left meanwhile; anything else is worth a log line.
      if (!(error instanceof ResponseError && error.code === ErrorCode.UNKNOWN_PEER)) console.warn(`[confab] ${method} failed`, error);
    });
  }

  #flushOutbox(): void {
    const outbox = this.#outbox;
    this.#outbox = [];
    for (const [method, data] of outbox) {
      if (peersStore.getState().byId[data.to]) this.#sendSignal(method, data);
    }
  }

  /** The peer once joined and connected: now, or after the resume (at most 30 s). */
  #connectedPeer(): Promise<SignalingPeer> {
    if (this.#peer?.connected && connectionStore.getState().signaling === 'connected') return Promise.resolve(this.#peer);
    if (this.#closed) return Promise.reject(new Error('The call has ended.'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error('Not connected to the server right now.'));
      }, RESUME_WAIT_MS);
      const unsubscribe = connectionStore.subscribe((state) => {
        if (state.phase === 'ended') {
          clearTimeout(timer);
          unsubscribe();
          reject(new Error('The call has ended.'));
        } else if (state.signaling === 'connected' && this.#peer?.connected) {
          clearTimeout(timer);
          unsubscribe();
          resolve(this.#peer);
        }
      });
    });
  }

  #requirePeer(): SignalingPeer {
    if (!this.#peer?.connected) throw new Error('Not connected to the server right now.');
    return this.#peer;
  }

  // ---- links ------------------------------------------------------------------

  /** A new link to `peerId`; the initiator offers at once, the other side waits for that offer. */
  #createLink(peerId: string, initiator: boolean): PeerLink {
    const setup = { iceConfig: this.#iceConfig, media: this.#media, initiator, participants: this.#participants() };
    const link = new PeerLink(this.selfId, peerId, setup, {
      sendDescription: (to, description) => this.#sendSignal(description.type === 'offer' ? 'offer' : 'answer', { to, description } as RequestData<'offer'>),
      sendCandidate: (to, candidate) => this.#sendSignal('candidate', { to, candidate }),
      fetchIceConfig: async () => {
        const config = await this.#requirePeer().request('getIceConfig', {});
        this.#setIceConfig(config);
        return config;
      },
      stateChanged: (id, state) => {
        if (this.#links.get(id) === link) peersActions.setLink(id, state);
      },
      mediaChanged: (id) => {
        if (this.#links.get(id) === link) peersActions.mediaChanged(id, typeof peersStore.getState().byId[id]?.fields.screenStream === 'string');
      },
      log: (message, detail) => console.info(`[confab] ${message}`, detail ?? ''),
    });
    this.#links.set(peerId, link);
    peersActions.setLink(peerId, link.state);
    return link;
  }

  /** Drops our link to `peerId` and asks it to drop its side; the new link starts on its reset-ack. */
  #resetLink(peerId: string): void {
    this.#links.get(peerId)?.close();
    this.#links.delete(peerId);
    peersActions.setLink(peerId, 'connecting');
    clearTimeout(this.#awaitingReset.get(peerId)?.timer);
    const waiting: PendingReset = { nonce: Math.random().toString(36).slice(2, 10) };
    this.#awaitingReset.set(peerId, waiting);
    this.#askReset(peerId, waiting, 1);
  }

  /** Sends the reset; while it is unacknowledged, again later, and in the end shows the link failed. */
  #askReset(peerId: string, waiting: PendingReset, attempt: number): void {
    this.#sendSignal('hangup', { to: peerId, reason: `${RESET}:${waiting.nonce}` });
    waiting.timer = setTimeout(() => {
      if (this.#closed || this.#awaitingReset.get(peerId) !== waiting) return;
      // Still ignoring the peer's stale signals; Retry starts a new reset.
      if (attempt >= RESET_ATTEMPTS) {
        waiting.gaveUp = true;
        peersActions.setLink(peerId, 'failed');
      } else this.#askReset(peerId, waiting, attempt + 1);
    }, RESET_RETRY_MS);
  }

  #stopAwaitingResets(): void {
    for (const { timer } of this.#awaitingReset.values()) clearTimeout(timer);
    this.#awaitingReset.clear();
  }

  #dropPeer(peerId: string): void {
    this.#links.get(peerId)?.close();
    this.#links.delete(peerId);
    clearTimeout(this.#awaitingReset.get(peerId)?.timer);
    this.#awaitingReset.delete(peerId);
    this.#resetsHandled.delete(peerId);
  }

  #participants(): number {
    return peersStore.getState().order.length + 1;
  }

  #applySendPolicy(): void {
    const participants = this.#participants();
    for (const link of this.#links.values()) void link.applySendPolicy(participants);
  }

  #onLocalTrack(kind: LocalTrackKind, track: MediaStreamTrack | null): void {
    const stream = kind === 'screen' ? this.#media.screenStream : this.#media.stream;
    for (const link of this.#links.values()) void link.setTrack(kind, track, stream);
    if (kind === 'screen') this.#publishMediaState();
  }


  /** What the others need to know about our media: mute states and which stream is the screen. */
  #mediaFields(): Record<string, unknown> {
    const { audioEnabled, videoEnabled, hasAudioTrack, hasVideoTrack } = mediaStore.getState();
    const screen = this.#media.screenStream;
    return {
      audioMuted: !(audioEnabled && hasAudioTrack),
      videoMuted: !(videoEnabled && hasVideoTrack),
      screenStream: screen ? screen.id : null,
    };
  }

  #joinFields(): Record<string, unknown> {
    const fields = this.#mediaFields();
    this.#publishedFields = JSON.stringify(fields);
    return fields;
  }

  #publishMediaState(): void {
    const peer = this.#peer;
    // Before the join, or while one is under way (a resume): sent with it, or right after it.
    if (!peer?.connected || connectionStore.getState().phase !== 'joined' || this.#joining) return;
    const fields = this.#mediaFields();
    const json = JSON.stringify(fields);
    if (json === this.#publishedFields) return;
    this.#publishedFields = json;
    peer.request('setFields', { fields }).catch((error: unknown) => console.warn('[confab] setFields failed', error));
  }

  #setIceConfig(config: IceConfig): void {
    this.#iceConfig = config;
    for (const link of this.#links.values()) link.updateIceConfig(config);
    clearTimeout(this.#iceTimer);
    if (config.expiresAt === null || this.#closed) return;
    const delay = Math.max(10_000, config.expiresAt - Date.now() - ICE_REFRESH_MARGIN_MS);
    this.#iceTimer = setTimeout(() => {
      this.#peer
        ?.request('getIceConfig', {})
        .then((fresh) => this.#setIceConfig(fresh))
        .catch(() => {
          // Retried on the next join or ICE restart.
        });
    }, delay);
  }

  // ---- speaking -----------------------------------------------------------------

  #watchLocalLevel(): void {
    this.#localMeter?.close();
    this.#localMeter = undefined;
    const track = this.#media.audioTrack;
    if (!track || this.#closed || typeof AudioContext === 'undefined') return;
    try {
      this.#localMeter = new AudioLevelMeter(track);
    } catch {
      // No audio graph here: no speaking indicator for ourselves.
    }
  }

  #pollSpeaking(): void {
    for (const [peerId, link] of this.#links) {
      const muted = peersStore.getState().byId[peerId]?.fields.audioMuted === true;
      peersActions.setSpeaking(peerId, !muted && link.remoteAudioLevel() > REMOTE_SPEAKING_LEVEL);
    }
    const { audioEnabled, speaking } = mediaStore.getState();
    const nowSpeaking = audioEnabled && (this.#localMeter?.level() ?? 0) > LOCAL_SPEAKING_LEVEL;
    if (nowSpeaking !== speaking) mediaActions.set({ speaking: nowSpeaking });
  }

  #end(reason: EndReason): void {
    this.close();
    connectionActions.end(reason);
  }
}

function deviceInfo(): RequestData<'join'>['device'] {
  const agent = navigator.userAgent;
  const browser = /Firefox\//.test(agent) ? 'Firefox' : /Edg\//.test(agent) ? 'Edge' : /Chrome\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : 'Other';
  return { browser, mobile: /Mobi|Android/.test(agent) };
}
