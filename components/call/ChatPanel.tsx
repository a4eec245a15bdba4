'use client';

/** ChatPanel: the call's messages, and a box to send to everyone or to one person. */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { chatActions, chatStore, uiActions, useChat, useConnection, usePeers } from '@/lib/stores';
import { useRoomClient } from '../room/RoomClientContext';
import { SendIcon } from '../ui/icons';
import { FieldError } from '../ui/TextField';

const time = (ts: number): string => new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function ChatPanel() {
  const client = useRoomClient();
  const messages = useChat((state) => state.messages);
  const pending = useChat((state) => state.pending);
  const selfId = useConnection((state) => state.selfId);
  const peers = usePeers((state) => state.byId);
  const order = usePeers((state) => state.order);
  // A message that failed while the panel was closed comes back into the box.
  const [draft] = useState(() => chatStore.getState().draft);
  const [text, setText] = useState(draft?.text ?? '');
  const [to, setTo] = useState(draft?.to ?? '');
  const [error, setError] = useState<string | null>(draft?.error ?? null);
  const listRef = useRef<HTMLOListElement>(null);
  const mounted = useRef(false);
  const inputId = useId();

  useEffect(() => {
    mounted.current = true;
    chatActions.clearDraft();
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => chatActions.markRead(), [messages.length]);
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [messages.length, pending.length]);
  // A recipient who left: back to everyone.
  const recipient = to && peers[to] ? to : '';

  const send = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    const body = text.trim();
    if (!body) return;
    // Cleared at once, the message shown as sending: one sent while reconnecting goes out
    // when the call resumes.
    setText('');
    setError(null);
    try {
      await client.sendChat(body, recipient || undefined);
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : 'Could not send the message.';
      if (mounted.current) {
        setText((current) => current || body);
        setError(reason);
      } else {
        // The panel was closed meanwhile: keep the text for when it opens again, and say so.
        chatActions.keepDraft({ text: body, to: recipient, error: reason });
        uiActions.toast('Your chat message was not sent: it is back in the chat box.', 'warn');
      }
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  };

  const nameOf = (id: string): string => (id === selfId ? 'You' : (peers[id]?.displayName ?? 'Someone'));

  return (
    <section aria-label="Chat" className="flex min-h-0 flex-1 flex-col">
      <ol ref={listRef} aria-live="polite" className="flex min-h-0 flex-1 flex-col gap-3 overflow-y-auto p-4" data-testid="chat-messages">
        {messages.length === 0 && pending.length === 0 ? <li className="m-auto text-sm text-zinc-500">No messages yet. Say hello!</li> : null}
        {messages.map((message) => {
          const mine = message.from === selfId;
          return (
            <li key={message.id} className={`flex max-w-[85%] flex-col gap-0.5 ${mine ? 'items-end self-end' : 'items-start'}`} data-testid="chat-message">
              <span className="text-xs text-zinc-500">
                {mine ? 'You' : message.fromName}
                {message.to ? <span className="text-amber-400"> · privately to {nameOf(message.to === selfId ? selfId : message.to)}</span> : null} · {time(message.ts)}
              </span>
              <p className={`rounded-2xl px-3 py-2 text-sm break-words whitespace-pre-wrap ${mine ? 'bg-emerald-600 text-white' : message.to ? 'bg-amber-900/60' : 'bg-zinc-800'}`}>
                {message.text}
              </p>
            </li>
          );
        })}
        {pending.map((message) => (
          <li key={`pending-${message.key}`} className="flex max-w-[85%] flex-col items-end gap-0.5 self-end opacity-60" data-testid="chat-pending">
            <span className="text-xs text-zinc-500">
              You
              {message.to ? <span className="text-amber-400"> · privately to {nameOf(message.to)}</span> : null} · Sending…
            </span>
            <p className="rounded-2xl bg-emerald-600 px-3 py-2 text-sm break-words whitespace-pre-wrap text-white">{message.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={(event) => void send(event)} className="flex flex-col gap-2 border-t border-zinc-800 p-3">
        <label className="flex items-center gap-2 text-xs text-zinc-400">
          To
          <select
            value={recipient}
            onChange={(event) => setTo(event.target.value)}
            className="rounded-md border border-zinc-700 bg-zinc-950 px-2 py-1 text-sm text-zinc-100 focus-visible:outline-2 focus-visible:outline-emerald-400"
          >
            <option value="">Everyone</option>
            {order.map((id) => (
              <option key={id} value={id}>
                {peers[id]?.displayName} (private)
              </option>
            ))}
          </select>
        </label>
        <div className="flex items-end gap-2">
          <label htmlFor={inputId} className="sr-only">
            Message
          </label>
          <textarea
            id={inputId}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={onKeyDown}
            rows={1}
            maxLength={2000}
            data-autofocus
            placeholder="Message"
            className="max-h-32 min-h-10 flex-1 resize-none rounded-lg border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm outline-none focus:border-emerald-400"
          />
          <button
            type="submit"
            aria-label="Send message"
            disabled={!text.trim()}
            className="inline-flex size-10 items-center justify-center rounded-lg bg-emerald-500 text-zinc-950 hover:bg-emerald-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400 disabled:bg-zinc-800 disabled:text-zinc-500"
          >
            <SendIcon className="size-4" />
          </button>
        </div>
        {error ? <FieldError density="compact">{error}</FieldError> : null}
      </form>
    </section>
  );
}
