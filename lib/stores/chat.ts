/**
 * chat store: the messages of this call, oldest first, without duplicates.
 *
 * {
 *   messages: ChatMessage[]   public and private (to or from us), ordered by seq
 *   unread: number            arrived while the chat panel was closed
 *   outgoing: OutgoingChat[]  ours not sent yet: on the way ("Sending…") or failed, with why
 * }
 */
import { createStore } from 'zustand/vanilla';
import type { ChatMessage } from '../signaling/protocol';

export interface OutgoingChat {
  key: number;
  text: string;
  to?: string;
  /** Why it was not sent; null while it is on its way. */
  error: string | null;
}

export interface ChatState {
  messages: ChatMessage[];
  unread: number;
  outgoing: OutgoingChat[];
}

const initialState = (): ChatState => ({ messages: [], unread: 0, outgoing: [] });

export const chatStore = createStore<ChatState>()(initialState);

let nextOutgoingKey = 1;

function withoutOutgoing(state: ChatState, key: number): OutgoingChat[] {
  return state.outgoing.filter((outgoing) => outgoing.key !== key);
}

function withError(state: ChatState, key: number, error: string | null): OutgoingChat[] {
  return state.outgoing.map((outgoing) => (outgoing.key === key ? { ...outgoing, error } : outgoing));
}

/** The union of both lists by id, ordered by seq. */
function merge(existing: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const known = new Set(existing.map((message) => message.id));
  const added = incoming.filter((message) => !known.has(message.id));
  if (added.length === 0) return existing;
  return [...existing, ...added].sort((a, b) => a.seq - b.seq);
}

export const chatActions = {
  reset: (): void => chatStore.setState(initialState(), true),
  /** Adds messages; `countUnread` adds the new ones to the unread count. */
  add: (messages: ChatMessage[], countUnread: boolean): void =>
    chatStore.setState((state) => {
      const merged = merge(state.messages, messages);
      const added = merged.length - state.messages.length;
      return { messages: merged, unread: countUnread ? state.unread + added : state.unread };
    }),
  markRead: (): void => chatStore.setState({ unread: 0 }),
  /** One of ours is on its way; returns its key. */
  sending: (text: string, to?: string): number => {
    const key = nextOutgoingKey++;
    chatStore.setState((state) => ({ outgoing: [...state.outgoing, to === undefined ? { key, text, error: null } : { key, text, to, error: null }] }));
    return key;
  },
  /** Outgoing message `key` arrived as `message` (already listed, when the resume's chat had it). */
  sent: (key: number, message: ChatMessage): void =>
    chatStore.setState((state) => ({ outgoing: withoutOutgoing(state, key), messages: merge(state.messages, [message]) })),
  /** Outgoing message `key` was not sent, for `error`. */
  failed: (key: number, error: string): void => chatStore.setState((state) => ({ outgoing: withError(state, key, error) })),
  /** Outgoing message `key`, failed, is on its way again. */
  retrying: (key: number): void => chatStore.setState((state) => ({ outgoing: withError(state, key, null) })),
  /** Forgets outgoing message `key` (the user removed it). */
  drop: (key: number): void => chatStore.setState((state) => ({ outgoing: withoutOutgoing(state, key) })),
};
