/**
 * chat store: the messages of this call, oldest first, without duplicates.
 *
 * {
 *   messages: ChatMessage[]   public and private (to or from us), ordered by seq
 *   unread: number            arrived while the chat panel was closed
 * }
 */
import { createStore } from 'zustand/vanilla';
import type { ChatMessage } from '../signaling/protocol';

export interface ChatState {
  messages: ChatMessage[];
  unread: number;
}

export const chatStore = createStore<ChatState>()(() => ({ messages: [], unread: 0 }));

/** The union of both lists by id, ordered by seq. */
function merge(existing: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const known = new Set(existing.map((message) => message.id));
  const added = incoming.filter((message) => !known.has(message.id));
  if (added.length === 0) return existing;
  return [...existing, ...added].sort((a, b) => a.seq - b.seq);
}

export const chatActions = {
  reset: (): void => chatStore.setState({ messages: [], unread: 0 }, true),
  /** Adds messages; `countUnread` adds the new ones to the unread count. */
  add: (messages: ChatMessage[], countUnread: boolean): void =>
    chatStore.setState((state) => {
      const merged = merge(state.messages, messages);
      const added = merged.length - state.messages.length;
      return { messages: merged, unread: countUnread ? state.unread + added : state.unread };
    }),
  markRead: (): void => chatStore.setState({ unread: 0 }),
};
