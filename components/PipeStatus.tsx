'use client';

/**
 * PipeStatus: opens a protoo connection to the signaling server and shows its live
 * state and the round-trip time of a ping request. Proves the pipe end to end.
 */
import { useEffect, useState } from 'react';
import { Peer, WebSocketTransport } from '@/lib/protoo/client';
import type { ClientSends, ServerSends } from '@/lib/signaling/protocol';
import { signalingUrl } from '@/lib/signaling/path';

type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

const PING_INTERVAL_MS = 2000;

const STATE_STYLE: Record<ConnectionState, { label: string; dot: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400' },
  connected: { label: 'Connected', dot: 'bg-emerald-400' },
  reconnecting: { label: 'Reconnecting…', dot: 'bg-amber-400 animate-pulse' },
  closed: { label: 'Closed', dot: 'bg-red-500' },
};

export function PipeStatus() {
  const [state, setState] = useState<ConnectionState>('connecting');
  const [rttMs, setRttMs] = useState<number | null>(null);

  useEffect(() => {
    const peer = new Peer<ClientSends, ServerSends>(new WebSocketTransport(signalingUrl(window.location, { peerId: crypto.randomUUID() })));
    let timer: ReturnType<typeof setInterval> | undefined;

    const ping = async (): Promise<void> => {
      const started = performance.now();
      try {
        await peer.request('ping', {});
        setRttMs(Math.round((performance.now() - started) * 10) / 10);
      } catch {
        setRttMs(null);
      }
    };

    peer.on('open', () => {
      setState('connected');
      void ping();
      clearInterval(timer);
      timer = setInterval(() => void ping(), PING_INTERVAL_MS);
    });
    peer.on('failed', () => setState((current) => (current === 'connecting' ? current : 'reconnecting')));
    peer.on('disconnected', () => {
      clearInterval(timer);
      setState('reconnecting');
      setRttMs(null);
    });
    peer.on('close', () => {
      clearInterval(timer);
      setState('closed');
      setRttMs(null);
    });

    return () => {
      clearInterval(timer);
      // Unmounting is not a closed connection: no state updates from here on.
      peer.removeAllListeners();
      peer.close();
    };
  }, []);

  const style = STATE_STYLE[state];
  return (
    <section aria-label="Signaling connection" className="w-full rounded-xl border border-zinc-800 bg-zinc-900 p-5 shadow-lg">
      <div className="flex items-center gap-3">
        <span aria-hidden className={`size-3 rounded-full ${style.dot}`} />
        <p className="text-lg" role="status" data-testid="connection-state" data-state={state}>
          {style.label}
        </p>
      </div>
      <p className="mt-3 text-sm text-zinc-400">
        Round trip:{' '}
        <span className="font-mono text-zinc-200" data-testid="rtt">
          {rttMs === null ? '—' : `${rttMs} ms`}
        </span>
      </p>
    </section>
  );
}
