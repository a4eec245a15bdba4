'use client';

/** StatsPanel: per remote peer, the link's RTT, bitrates, loss, resolution, frame rate, codecs and candidate types. */
import { useEffect, useState } from 'react';
import type { LinkStats } from '@/lib/call/stats';
import { usePeers } from '@/lib/stores';
import { useRoomClient } from '../room/RoomClientContext';

const dash = (value: number | string | null, unit = ''): string => (value === null ? '—' : `${value}${unit}`);

export function StatsPanel() {
  const client = useRoomClient();
  const order = usePeers((state) => state.order);
  const peers = usePeers((state) => state.byId);
  const [stats, setStats] = useState<Record<string, LinkStats>>({});

  useEffect(() => {
    let cancelled = false;
    const poll = async (): Promise<void> => {
      const entries = await Promise.all(order.map(async (id) => [id, await client.linkStats(id)?.catch(() => null)] as const));
      if (!cancelled) setStats(Object.fromEntries(entries.filter((entry): entry is [string, LinkStats] => entry[1] != null)));
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [client, order]);

  return (
    <section aria-label="Connection stats" className="min-h-0 flex-1 overflow-y-auto p-4">
      {order.length === 0 ? <p className="text-sm text-zinc-500">Stats appear when someone else joins.</p> : null}
      <div className="flex flex-col gap-4">
        {order.map((id) => {
          const s = stats[id];
          const rows: [string, string][] = s
            ? [
                ['Round trip', dash(s.rttMs, ' ms')],
                ['Receiving', dash(s.bitrateInKbps, ' kbit/s')],
                ['Sending', dash(s.bitrateOutKbps, ' kbit/s')],
                ['Packet loss', dash(s.packetLossPercent, ' %')],
                ['Resolution', dash(s.resolution)],
                ['Frame rate', dash(s.framesPerSecond, ' fps')],
                ['Codecs', `${s.videoCodec ?? '—'} / ${s.audioCodec ?? '—'}`],
                ['Route', s.localCandidateType ? `${s.localCandidateType} ↔ ${s.remoteCandidateType ?? '?'}` : '—'],
              ]
            : [];
          return (
            <article key={id} className="rounded-lg border border-zinc-800 p-3" data-testid="link-stats" data-peer-id={id}>
              <h3 className="mb-2 flex items-center justify-between text-sm font-medium">
                <span className="truncate">{peers[id]?.displayName}</span>
                <span className="text-xs text-zinc-400">{peers[id]?.link}</span>
              </h3>
              {s ? (
                <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
                  {rows.map(([label, value]) => (
                    <div key={label} className="contents">
                      <dt className="text-zinc-400">{label}</dt>
                      <dd className="text-right font-mono text-zinc-200" data-stat={label}>
                        {value}
                      </dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p className="text-xs text-zinc-500">Waiting for data…</p>
              )}
            </article>
          );
        })}
      </div>
    </section>
  );
}
