'use client';

/** EndScreen: why the call ended, and the way back (rejoin, or the lobby). */
import Link from 'next/link';
import type { EndReason } from '@/lib/stores';
import { Button } from '../ui/Button';

const COPY: Record<EndReason, { title: string; text: string; rejoin: string | null }> = {
  left: { title: 'You left the call', text: 'Thanks for joining.', rejoin: 'Rejoin' },
  roomFull: { title: 'This room is full', text: 'Calls here are limited so that everyone stays in good quality. Try again when someone leaves.', rejoin: 'Try again' },
  serverFull: { title: 'The server is busy', text: 'It has as many rooms as it can hold right now. Try again in a moment.', rejoin: 'Try again' },
  serverClosing: { title: 'The server shut down', text: 'It did not come back in time. Try again when it is up.', rejoin: 'Try again' },
  lost: { title: 'Connection lost', text: 'We could not reach the server for a while. Check your network, then rejoin.', rejoin: 'Rejoin' },
  replaced: { title: 'You joined from another tab', text: 'This call continues in the other tab or window.', rejoin: 'Join here too' },
  refused: { title: 'Could not join', text: 'The server refused this connection.', rejoin: 'Try again' },
  error: { title: 'Something went wrong', text: 'The call could not start.', rejoin: 'Try again' },
};

export function EndScreen({ reason, detail, onRejoin }: { reason: EndReason; detail: string | null; onRejoin: () => void }) {
  const copy = COPY[reason];
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <section role="alert" aria-labelledby="end-title" className="flex w-full max-w-md flex-col items-center gap-4 rounded-2xl border border-zinc-800 bg-zinc-900 p-8 text-center" data-testid="end-screen" data-reason={reason}>
        <h1 id="end-title" className="text-2xl font-semibold">
          {copy.title}
        </h1>
        <p className="text-zinc-400">{copy.text}</p>
        {detail ? <p className="text-sm text-zinc-500">{detail}</p> : null}
        <div className="mt-2 flex flex-wrap justify-center gap-3">
          {copy.rejoin ? (
            <Button tone="primary" onClick={onRejoin}>
              {copy.rejoin}
            </Button>
          ) : null}
          <Link href="/" className="inline-flex items-center rounded-lg bg-zinc-800 px-4 py-2.5 text-sm font-medium hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-emerald-400">
            Back to the lobby
          </Link>
        </div>
      </section>
    </main>
  );
}
