/**
 * chat store: the messages of this call, oldest first, without duplicates.
 *
 * {
 *   messages: ChatMessage[]   public and private (to or from us), ordered by seq
 *   unread: number            arrived while the chat panel was closed
 *   pending: PendingChat[]    ours, on the way to the server (shown as "Sending…")
 *   draft: ChatDraft | null   a message that could not be sent while the panel was closed
 * }
 */
import { createStore } from 'zustand/vanilla';
import type { ChatMessage } from '../signaling/protocol';

export interface PendingChat {
  key: number;
  text: string;
  to?: string;
}

/** What goes back into the chat box: the text, its recipient ('' for everyone) and why it is there. */
export interface ChatDraft {
  text: string;
  to: string;
  error: string;
}

export interface ChatState {
  messages: ChatMessage[];
  unread: number;
  pending: PendingChat[];
  draft: ChatDraft | null;
}

const initialState = (): ChatState => ({ messages: [], unread: 0, pending: [], draft: null });

export const chatStore = createStore<ChatState>()(initialState);

let nextPendingKey = 1;

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
  /** One of ours is on its way; returns its key for `sent`. */
  sending: (text: string, to?: string): number => {
    const key = nextPendingKey++;
    chatStore.setState((state) => ({ pending: [...state.pending, to === undefined ? { key, text } : { key, text, to }] }));
    return key;
  },
  /** Our pending message `key` is done: sent as `message`, or (without one) failed. */
  sent: (key: number, message?: ChatMessage): void =>
    chatStore.setState((state) => ({
      pending: state.pending.filter((pending) => pending.key !== key),
      messages: message ? merge(state.messages, [message]) : state.messages,
    })),
  keepDraft: (draft: ChatDraft): void => chatStore.setState({ draft }),
  clearDraft: (): void => {
    if (chatStore.getState().draft) chatStore.setState({ draft: null });
  },
};
