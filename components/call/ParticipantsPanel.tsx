'use client';

/** ParticipantsPanel: everyone in the call with presence and media state; set your own presence. */
import { useId, useState, type FormEvent } from 'react';
import type { PresenceShow } from '@/lib/signaling/protocol';
import { useMedia, usePeers } from '@/lib/stores';
import { useRoomClient } from '../room/RoomClientContext';
import { Avatar } from './Avatar';
import { CameraOffIcon, MicOffIcon } from '../ui/icons';
import { TextField } from '../ui/TextField';

export const PRESENCE_OPTIONS: { value: PresenceShow; label: string; dot: string }[] = [
  { value: 'chat', label: 'Available', dot: 'bg-emerald-400' },
  { value: 'away', label: 'Away', dot: 'bg-amber-400' },
  { value: 'dnd', label: 'Busy', dot: 'bg-red-500' },
  { value: 'xa', label: 'Away for a while', dot: 'bg-zinc-500' },
];

const presenceOf = (show: PresenceShow) => PRESENCE_OPTIONS.find((option) => option.value === show)!;

function Row({ name, show, status, audioMuted, videoMuted, you = false }: { name: string; show: PresenceShow; status?: string; audioMuted: boolean; videoMuted: boolean; you?: boolean }) {
  const presence = presenceOf(show);
  return (
    <li className="flex items-center gap-3 px-4 py-2.5" data-testid="participant">
      <span className="relative">
        <Avatar name={name} size="sm" />
        <span className={`absolute -right-0.5 -bottom-0.5 size-3 rounded-full ring-2 ring-zinc-900 ${presence.dot}`} aria-hidden="true" />
      </span>
      <span className="flex min-w-0 flex-1 flex-col">
        <span className="truncate text-sm font-medium">
          {name}
          {you ? <span className="text-zinc-500"> (you)</span> : null}
        </span>
        <span className="truncate text-xs text-zinc-400" data-testid="presence">
          {presence.label}
          {status ? ` · ${status}` : ''}
        </span>
      </span>
      {audioMuted ? <MicOffIcon className="size-4 text-red-400" aria-hidden={false} aria-label="Microphone off" role="img" /> : null}
      {videoMuted ? <CameraOffIcon className="size-4 text-red-400" aria-hidden={false} aria-label="Camera off" role="img" /> : null}
    </li>
  );
}

export function ParticipantsPanel() {
  const client = useRoomClient();
  const me = {
    name: useMedia((state) => state.displayName),
    presence: useMedia((state) => state.presence),
    audio: useMedia((state) => state.audioEnabled && state.hasAudioTrack),
    video: useMedia((state) => state.videoEnabled && state.hasVideoTrack),
  };
  const peers = usePeers((state) => state.byId);
  const order = usePeers((state) => state.order);
  const [status, setStatus] = useState(me.presence.status ?? '');
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();

  const update = async (show: PresenceShow, text: string): Promise<void> => {
    try {
      await client.setPresence(show, text.trim() || undefined);
      setError(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Could not update your status.');
    }
  };

  return (
    <section aria-label="Participants" className="flex min-h-0 flex-1 flex-col">
      <form
        className="flex flex-col gap-2 border-b border-zinc-800 p-4"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void update(me.presence.show, status);
        }}
      >
        <label htmlFor={selectId} className="text-xs text-zinc-400">
          Your status
        </label>
        <select
          id={selectId}
          value={me.presence.show}
          onChange={(event) => void update(event.target.value as PresenceShow, status)}
          className="rounded-md border border-zinc-700 bg-zinc-950 px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-emerald-400"
        >
          {PRESENCE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <TextField
          label="Status message"
          hideLabel
          density="compact"
          value={status}
          maxLength={128}
          onChange={(event) => setStatus(event.target.value)}
          onBlur={() => {
            if ((me.presence.status ?? '') !== status.trim()) void update(me.presence.show, status);
          }}
          placeholder="Status message (optional)"
          error={error}
        />
      </form>
      <ul className="min-h-0 flex-1 overflow-y-auto py-2" aria-label={`${order.length + 1} in the call`}>
        <Row name={me.name} show={me.presence.show} status={me.presence.status} audioMuted={!me.audio} videoMuted={!me.video} you />
        {order.map((id) => {
          const peer = peers[id];
          if (!peer) return null;
          return (
            <Row
              key={id}
              name={peer.displayName}
              show={peer.presence.show}
              status={peer.presence.status}
              audioMuted={peer.fields.audioMuted === true}
              videoMuted={peer.fields.videoMuted === true}
            />
          );
        })}
      </ul>
    </section>
  );
}
