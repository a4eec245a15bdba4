'use client';

/**
 * Lobby: the home page. Your name (remembered), a new room, joining a room by id or
 * invite link, and the live list of active rooms.
 */
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { loadDisplayName, saveDisplayName } from '@/lib/call/displayName';
import { LobbyClient } from '@/lib/call/LobbyClient';
import { randomRoomName, roomIdFromInput } from '@/lib/call/roomNames';
import { isValidId } from '@/lib/signaling/constants';
import { mediaActions, mediaStore, useMedia } from '@/lib/stores';
import { useLobby } from '@/lib/stores/lobby';
import { DisplayNameField } from '../room/DisplayNameField';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';
import { UsersIcon } from '../ui/icons';

export function Lobby() {
  const router = useRouter();
  const name = useMedia((state) => state.displayName);
  const [roomInput, setRoomInput] = useState('');
  const [roomError, setRoomError] = useState<string | null>(null);
  const rooms = useLobby((state) => state.rooms);
  const status = useLobby((state) => state.status);

  useEffect(() => {
    if (!mediaStore.getState().displayName) mediaActions.set({ displayName: loadDisplayName() });
    const lobby = new LobbyClient();
    return () => lobby.close();
  }, []);

  const enter = (roomId: string): void => {
    saveDisplayName(name);
    router.push(`/r/${encodeURIComponent(roomId)}`);
  };

  const onJoin = (event: FormEvent): void => {
    event.preventDefault();
    const roomId = roomIdFromInput(roomInput, isValidId);
    if (!roomId) {
      setRoomError('Enter a room name (letters, digits, - and _) or paste an invite link.');
      return;
    }
    enter(roomId);
  };

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-4xl flex-col gap-10 px-5 py-10 sm:py-16">
      <header className="flex flex-col gap-2">
        <h1 className="text-4xl font-semibold tracking-tight">Confab</h1>
        <p className="text-zinc-400">Video calls on your own server. No accounts, no downloads: share a link and talk.</p>
      </header>

      <div className="grid gap-6 md:grid-cols-[1.2fr_1fr]">
        <section aria-labelledby="start-heading" className="flex flex-col gap-5 rounded-2xl border border-zinc-800 bg-zinc-900/60 p-6">
          <h2 id="start-heading" className="text-lg font-medium">
            Start or join a call
          </h2>
          <DisplayNameField />
          <Button tone="primary" className="w-full py-3 text-base" onClick={() => enter(randomRoomName())}>
            New room
          </Button>
          <div className="flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
            <span className="h-px flex-1 bg-zinc-800" />
            or
            <span className="h-px flex-1 bg-zinc-800" />
          </div>
          <form onSubmit={onJoin} noValidate>
            <TextField
              label="Room name or invite link"
              value={roomInput}
              onChange={(event) => {
                setRoomInput(event.target.value);
                setRoomError(null);
              }}
              placeholder="calm-otter-42"
              error={roomError}
              trailing={<Button type="submit">Join</Button>}
            />
          </form>
        </section>

        <section aria-labelledby="rooms-heading" className="flex flex-col gap-4 rounded-2xl border border-zinc-800 bg-zinc-900/60 p-6">
          <div className="flex items-center justify-between">
            <h2 id="rooms-heading" className="text-lg font-medium">
              Active rooms
            </h2>
            {status === 'live' ? (
              <span className="flex items-center gap-1.5 text-xs text-emerald-400">
                <span className="size-2 animate-pulse rounded-full bg-emerald-400" aria-hidden="true" /> live
              </span>
            ) : null}
          </div>
          {status === 'unavailable' ? (
            <p className="text-sm text-zinc-500">The room list is not available on this server.</p>
          ) : rooms === null ? (
            <p className="text-sm text-zinc-500">Loading…</p>
          ) : rooms.length === 0 ? (
            <p className="text-sm text-zinc-500">No one is in a call right now. Start one!</p>
          ) : (
            <ul className="flex flex-col gap-2" aria-label="Active rooms">
              {rooms.map((room) => (
                <li key={room.id}>
                  <button
                    type="button"
                    onClick={() => enter(room.id)}
                    className="flex w-full items-center justify-between rounded-lg bg-zinc-800/60 px-4 py-3 text-left transition-colors hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-emerald-400"
                  >
                    <span className="truncate font-medium">{room.id}</span>
                    <span className="flex shrink-0 items-center gap-1.5 text-sm text-zinc-400" aria-label={`${room.peerCount} in the call`}>
                      <UsersIcon className="size-4" /> {room.peerCount}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </main>
  );
}
