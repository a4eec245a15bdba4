'use client';

/**
 * RoomPage: the room route's client island. It owns the local media (opened for the
 * pre-join preview and kept for the call) and the RoomClient (created on Join), closes
 * both on unmount, and shows pre-join, the call, or the end screen by call phase.
 */
import { useEffect, useState } from 'react';
import { loadDisplayName, saveDisplayName } from '@/lib/call/displayName';
import { LocalMedia } from '@/lib/call/LocalMedia';
import { RoomClient } from '@/lib/call/RoomClient';
import { connectionActions, mediaActions, mediaStore, resetStores, useConnection } from '@/lib/stores';
import { CallView } from '../call/CallView';
import { EndScreen } from '../call/EndScreen';
import { PreJoin } from './PreJoin';
import { RoomClientContext } from './RoomClientContext';

export function RoomPage({ roomId }: { roomId: string }) {
  const [media, setMedia] = useState<LocalMedia | null>(null);
  const [client, setClient] = useState<RoomClient | null>(null);
  const phase = useConnection((state) => state.phase);
  const endReason = useConnection((state) => state.endReason);
  const joinError = useConnection((state) => state.joinError);

  useEffect(() => {
    resetStores();
    if (!mediaStore.getState().displayName) mediaActions.set({ displayName: loadDisplayName() });
    const local = new LocalMedia();
    // This effect creates the media object and closes it on cleanup; state hands it to the UI.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setMedia(local);
    void local.start();
    return () => {
      local.close();
      setMedia(null);
    };
  }, []);

  // Leaving the page leaves the call.
  useEffect(() => {
    if (!client) return;
    return () => void client.leave();
  }, [client]);

  const join = (): void => {
    if (!media) return;
    saveDisplayName(mediaStore.getState().displayName);
    mediaActions.set({ displayName: mediaStore.getState().displayName.trim() });
    const next = new RoomClient(roomId, media);
    setClient(next);
    next.join();
  };

  const rejoin = (): void => {
    setClient(null);
    resetStores();
    connectionActions.reset();
    join();
  };

  if (phase === 'ended' && endReason) return <EndScreen reason={endReason} detail={joinError} onRejoin={rejoin} />;
  if (phase === 'joined' && client) {
    return (
      <RoomClientContext.Provider value={client}>
        <CallView roomId={roomId} onLeave={() => void client.leave()} />
      </RoomClientContext.Provider>
    );
  }
  return <PreJoin roomId={roomId} media={media} onJoin={join} />;
}
