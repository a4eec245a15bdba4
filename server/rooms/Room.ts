/**
 * Room: the participants of one call, and its public chat history (each participant keeps
 * its private messages). Every fan-out is serialized once and the same frame goes to each
 * recipient; nothing crosses rooms.
 */
import { randomBytes } from 'node:crypto';
import { notificationText, type SerializedData } from '../../lib/protoo/Message';
import { encodeFrame } from '../../lib/protoo/server';
import type { ChatMessage, RoomSummary, ServerNotifications } from '../../lib/signaling/protocol';
import type { Participant } from './Participant';

export type NotificationName = keyof ServerNotifications;

/** A notification's data, or its JSON already made (to share it with the response). */
export type NotificationData<M extends NotificationName> = ServerNotifications[M] | SerializedData<ServerNotifications[M]>;

/** Serializes a server notification once, for any number of recipients. */
export function notificationFrame<M extends NotificationName>(method: M, data: NotificationData<M>): string {
  return notificationText(method, data);
}

export interface BroadcastOptions {
  except?: Participant;
  /** Keep for participants that are reconnecting (state changes and public chat do not need it). */
  replay?: boolean;
}

/** Private messages kept per participant (sent and received), for its resumes. */
export const PRIVATE_CHAT_KEPT = 50;

export class Room {
  readonly id: string;
  readonly createdAt: number;
  readonly #participants = new Map<string, Participant>();
  readonly #historySize: number;
  readonly #history: ChatMessage[] = [];
  #chatSeq = 0;
  /** Random per room instance: chat ids stay unique when a room id is reused or the server restarts. */
  readonly #chatIdPrefix = randomBytes(9).toString('base64url');

  constructor(id: string, historySize: number, now: number = Date.now()) {
    this.id = id;
    this.#historySize = historySize;
    this.createdAt = now;
  }

  get size(): number {
    return this.#participants.size;
  }

  get(peerId: string): Participant | undefined {
    return this.#participants.get(peerId);
  }

  participants(): IterableIterator<Participant> {
    return this.#participants.values();
  }

  add(participant: Participant): void {
    this.#participants.set(participant.id, participant);
  }

  /** Removes the participant if it is (still) this room's; returns whether it was. */
  remove(participant: Participant): boolean {
    if (this.#participants.get(participant.id) !== participant) return false;
    this.#participants.delete(participant.id);
    participant.clearGraceTimer();
    return true;
  }

  /** Sends a notification to every participant but `except`; returns the frame's size. */
  broadcast<M extends NotificationName>(method: M, data: NotificationData<M>, options: BroadcastOptions = {}): number {
    // Serialized and encoded once: every recipient gets the same bytes.
    const frame = encodeFrame(notificationFrame(method, data));
    const replay = options.replay ?? false;
    const except = options.except;
    for (const participant of this.#participants.values()) {
      if (participant !== except) participant.deliver(frame, replay);
    }
    return frame.length;
  }

  /** Next chat sequence number. */
  nextChatSeq(): number {
    return ++this.#chatSeq;
  }

  /**
   * The id of this room's chat message `seq`: unique across rooms and restarts, and
   * cheaper than a UUID per message (a chat's cost is mostly fixed per message).
   */
  chatId(seq: number): string {
    return `${this.#chatIdPrefix}-${seq}`;
  }

  /** Keeps a public message in the bounded history. */
  remember(message: ChatMessage): void {
    if (this.#historySize === 0) return;
    this.#history.push(message);
    if (this.#history.length > this.#historySize) this.#history.shift();
  }

  /** Keeps a private message for both ends: as many as the history keeps, at most PRIVATE_CHAT_KEPT each. */
  rememberPrivate(message: ChatMessage, sender: Participant, recipient: Participant): void {
    const limit = Math.min(this.#historySize, PRIVATE_CHAT_KEPT);
    if (limit === 0) return;
    sender.keepPrivate(message, limit);
    recipient.keepPrivate(message, limit);
  }

  history(): ChatMessage[] {
    return [...this.#history];
  }

  summary(): RoomSummary {
    return { id: this.id, peerCount: this.#participants.size };
  }
}
