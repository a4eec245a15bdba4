'use client';

/** ChatPanel: the call's messages, and a box to send to everyone or to one person. */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { chatActions, useChat, useConnection, usePeers } from '@/lib/stores';
import { useRoomClient } from '../room/RoomClientContext';
import { SendIcon } from '../ui/icons';

const time = (ts: number): string => new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function ChatPanel() {
  const client = useRoomClient();
  const messages = useChat((state) => state.messages);
  const outgoing = useChat((state) => state.outgoing);
  const selfId = useConnection((state) => state.selfId);
  const peers = usePeers((state) => state.byId);
  const order = usePeers((state) => state.order);
  const [text, setText] = useState('');
  const [to, setTo] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const inputId = useId();

  useEffect(() => chatActions.markRead(), [messages.length]);
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [messages.length, outgoing.length]);
  // A recipient who left: back to everyone.
  const recipient = to && peers[to] ? to : '';

  const send = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    const body = text.trim();
    if (!body) return;
    // Cleared at once: the message shows as sending (while reconnecting it goes out when the
    // call resumes), then among the others, or as not sent with a button to send it again.
    setText('');
    await client.sendChat(body, recipient || undefined);
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
        {messages.length === 0 && outgoing.length === 0 ? <li className="m-auto text-sm text-zinc-500">No messages yet. Say hello!</li> : null}
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
        {outgoing.map((message) => (
          <li key={`outgoing-${message.key}`} className="flex max-w-[85%] flex-col items-end gap-0.5 self-end" data-testid="chat-outgoing">
            <span className="text-xs text-zinc-500">
              You
              {message.to ? <span className="text-amber-400"> · privately to {nameOf(message.to)}</span> : null}
              {message.error === null ? ' · Sending…' : null}
            </span>
            <p className={`rounded-2xl bg-emerald-600 px-3 py-2 text-sm break-words whitespace-pre-wrap text-white ${message.error === null ? 'opacity-60' : 'opacity-80'}`}>{message.text}</p>
            {message.error === null ? null : (
              <span className="flex flex-wrap items-center justify-end gap-x-2 text-xs">
                <span className="text-red-400">{message.error}</span>
                <button type="button" onClick={() => void client.resendChat(message.key)} className="font-medium text-emerald-400 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-emerald-400">
                  Send again
                </button>
                <button type="button" onClick={() => chatActions.drop(message.key)} className="text-zinc-400 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-emerald-400">
                  Remove
                </button>
              </span>
            )}
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
      </form>
    </section>
  );
}
