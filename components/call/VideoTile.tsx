'use client';

/**
 * VideoTile: one person's camera (or screen) with their name, mute and camera-off
 * indicators, speaking ring, presence badge, link state (with a retry when it failed)
 * and a pin button.
 */
import type { Presence } from '@/lib/signaling/protocol';
import { peerMarkName } from '@/lib/call/marks';
import type { LinkState } from '@/lib/stores';
import { Avatar } from './Avatar';
import { VideoView } from './VideoView';
import { MicOffIcon, PinIcon, RetryIcon } from '../ui/icons';

export interface TileModel {
  id: string;
  kind: 'camera' | 'screen';
  name: string;
  self: boolean;
  stream: MediaStream | null;
  version: number;
  showVideo: boolean;
  audioMuted: boolean;
  speaking: boolean;
  presence?: Presence;
  link?: LinkState;
  reconnecting?: boolean;
}

const PRESENCE_LABEL: Record<Presence['show'], string | null> = { chat: null, away: 'Away', dnd: 'Busy', xa: 'Away for a while' };

export function VideoTile({ tile, pinned, onPin, onRetry, compact = false }: { tile: TileModel; pinned: boolean; onPin: () => void; onRetry?: () => void; compact?: boolean }) {
  const label = tile.kind === 'screen' ? `${tile.name}'s screen` : tile.self ? `${tile.name} (you)` : tile.name;
  const presence = tile.presence ? PRESENCE_LABEL[tile.presence.show] : null;
  const linkProblem =
    tile.reconnecting ? 'Reconnecting…' : tile.link === 'failed' ? 'Cannot connect' : tile.link === 'reconnecting' ? 'Reconnecting…' : tile.link === 'connecting' || tile.link === 'new' ? 'Connecting…' : null;

  return (
    <figure
      data-testid="video-tile"
      data-tile-id={tile.id}
      data-kind={tile.kind}
      data-link={tile.link ?? 'self'}
      aria-label={label}
      className={`group relative size-full overflow-hidden rounded-xl bg-zinc-900 ring-2 transition-shadow ${tile.speaking ? 'ring-emerald-400' : 'ring-transparent'}`}
    >
      {tile.showVideo ? (
        <VideoView
          stream={tile.stream}
          version={tile.version}
          mirrored={tile.self && tile.kind === 'camera'}
          fit={tile.kind === 'screen' ? 'contain' : 'cover'}
          label={label}
          frameMark={!tile.self && tile.kind === 'camera' ? peerMarkName('first-frame', tile.id) : undefined}
        />
      ) : (
        <div className="flex size-full items-center justify-center bg-gradient-to-b from-zinc-800 to-zinc-900">
          <Avatar name={tile.name} size={compact ? 'sm' : 'lg'} />
        </div>
      )}

      {linkProblem ? (
        <div className="absolute inset-0 flex flex-col items-center justify-center gap-3 bg-zinc-950/70 text-sm" role="status">
          {tile.link === 'failed' && !tile.reconnecting ? (
            <>
              <span className="font-medium text-red-300">{linkProblem}</span>
              {onRetry ? (
                <button
                  type="button"
                  onClick={onRetry}
                  className="inline-flex items-center gap-1.5 rounded-lg bg-zinc-100 px-3 py-1.5 text-zinc-900 hover:bg-white focus-visible:outline-2 focus-visible:outline-emerald-400"
                >
                  <RetryIcon className="size-4" /> Retry
                </button>
              ) : null}
            </>
          ) : (
            <span className="flex items-center gap-2 text-zinc-200">
              <span className="size-3 animate-spin rounded-full border-2 border-zinc-400 border-t-transparent" aria-hidden="true" />
              {linkProblem}
            </span>
          )}
        </div>
      ) : null}

      <figcaption className="absolute right-2 bottom-2 left-2 flex items-center gap-1.5">
        <span className="flex min-w-0 items-center gap-1.5 rounded-md bg-zinc-950/75 px-2 py-1 text-xs font-medium text-zinc-100 backdrop-blur">
          {tile.kind === 'camera' && tile.audioMuted ? <MicOffIcon className="size-3.5 shrink-0 text-red-400" /> : null}
          <span className="truncate">{label}</span>
        </span>
        {presence ? <span className="rounded-md bg-amber-500/90 px-1.5 py-0.5 text-[11px] font-semibold text-zinc-950">{presence}</span> : null}
      </figcaption>
      {tile.kind === 'camera' && tile.audioMuted ? <span className="sr-only">Microphone off</span> : null}
      {tile.kind === 'camera' && !tile.showVideo ? <span className="sr-only">Camera off</span> : null}

      <button
        type="button"
        onClick={onPin}
        aria-label={pinned ? `Unpin ${label}` : `Pin ${label}`}
        aria-pressed={pinned}
        className={`absolute top-2 right-2 rounded-full bg-zinc-950/70 p-1.5 text-zinc-100 transition-opacity focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-emerald-400 ${
          pinned ? 'opacity-100' : 'opacity-0 group-hover:opacity-100'
        }`}
      >
        <PinIcon className="size-4" />
      </button>
    </figure>
  );
}
