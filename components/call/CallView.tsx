'use client';

/**
 * CallView: the call: video grid, controls, the side panel (chat, participants, stats),
 * remote audio, toasts, and a banner while the signaling connection reconnects.
 */
import { useEffect, useMemo, useRef } from 'react';
import { uiActions, useConnection, useMedia, usePeers, useUi, type RemotePeer } from '@/lib/stores';
import { DevicePickers } from '../room/DevicePicker';
import { useRoomClient } from '../room/RoomClientContext';
import { ChatPanel } from './ChatPanel';
import { ControlBar } from './ControlBar';
import { ParticipantsPanel } from './ParticipantsPanel';
import { RemoteAudio } from './RemoteAudio';
import { StatsPanel } from './StatsPanel';
import { Toasts } from './Toasts';
import { VideoGrid } from './VideoGrid';
import type { TileModel } from './VideoTile';
import { CloseIcon } from '../ui/icons';
import { useMediaQuery } from '../ui/useMediaQuery';

/** Below Tailwind's `sm` breakpoint a panel covers the whole call (`max-sm:` in CSS). */
const PHONE = '(width < 40rem)';

const PANEL_TITLE = { chat: 'Chat', participants: 'Participants', stats: 'Connection stats', devices: 'Devices' } as const;

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function CallView({ roomId, onLeave }: { roomId: string; onLeave: () => void }) {
  const client = useRoomClient();
  const signaling = useConnection((state) => state.signaling);
  const panel = useUi((state) => state.panel);
  const order = usePeers((state) => state.order);
  const byId = usePeers((state) => state.byId);
  const displayName = useMedia((state) => state.displayName);
  const presence = useMedia((state) => state.presence);
  const audioOn = useMedia((state) => state.audioEnabled && state.hasAudioTrack);
  const videoOn = useMedia((state) => state.videoEnabled && state.hasVideoTrack);
  const sharing = useMedia((state) => state.screenSharing);
  const localVersion = useMedia((state) => state.localVersion);
  const speaking = useMedia((state) => state.speaking);
  const phone = useMediaQuery(PHONE);
  const asideRef = useRef<HTMLElement>(null);
  const returnFocusTo = useRef<HTMLElement | null>(null);

  // Keyboard shortcuts: M for the microphone, V for the camera (not while typing).
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === 'm' || event.key === 'M') void client.toggleMic();
      else if (event.key === 'v' || event.key === 'V') void client.toggleCamera();
      else if (event.key === 'Escape') uiActions.closePanel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client]);

  // A panel that opens takes the focus (the element marked data-autofocus, else its
  // heading), so that on a phone, where it covers the call, focus is not left behind it.
  // Closing it gives the focus back to the control that opened it (the More button when
  // that was a menu item), unless the focus has already moved somewhere else.
  useEffect(() => {
    const aside = asideRef.current;
    if (panel && aside) {
      const active = document.activeElement;
      if (aside.contains(active)) return;
      if (active instanceof HTMLElement && active !== document.body) returnFocusTo.current = active;
      (aside.querySelector<HTMLElement>('[data-autofocus]') ?? aside.querySelector<HTMLElement>('h2'))?.focus();
    } else if (!panel) {
      const target = returnFocusTo.current;
      returnFocusTo.current = null;
      const focusLost = document.activeElement === null || document.activeElement === document.body;
      if (target?.isConnected && focusLost) target.focus();
    }
  }, [panel]);
  // On a phone the panel is modal: what it covers cannot be reached with Tab.
  const covered = panel !== null && phone;

  const peers = useMemo(() => order.map((id) => byId[id]).filter((peer): peer is RemotePeer => peer !== undefined), [order, byId]);

  const tiles = useMemo(() => {
    const list: TileModel[] = [
      { id: 'self', kind: 'camera', name: displayName || 'You', self: true, stream: client.localStream(), version: localVersion, showVideo: videoOn, audioMuted: !audioOn, speaking, presence },
    ];
    for (const peer of peers) {
      const streams = client.remoteStreams(peer.id);
      const videoMuted = peer.fields.videoMuted === true;
      list.push({
        id: peer.id,
        kind: 'camera',
        name: peer.displayName,
        self: false,
        stream: streams.camera,
        version: peer.mediaVersion,
        showVideo: !videoMuted && (streams.camera?.getVideoTracks().length ?? 0) > 0,
        audioMuted: peer.fields.audioMuted === true,
        speaking: peer.speaking,
        presence: peer.presence,
        link: peer.link,
        reconnecting: peer.connection === 'reconnecting',
      });
    }
    if (sharing) {
      list.push({ id: 'self:screen', kind: 'screen', name: displayName || 'You', self: true, stream: client.localScreen(), version: localVersion, showVideo: true, audioMuted: false, speaking: false });
    }
    for (const peer of peers) {
      const { screen } = client.remoteStreams(peer.id);
      if (screen && typeof peer.fields.screenStream === 'string') {
        list.push({ id: `${peer.id}:screen`, kind: 'screen', name: peer.displayName, self: false, stream: screen, version: peer.mediaVersion, showVideo: true, audioMuted: false, speaking: false });
      }
    }
    return list;
  }, [client, peers, displayName, localVersion, videoOn, audioOn, speaking, presence, sharing]);

  const invite = async (): Promise<void> => {
    const link = `${window.location.origin}/r/${encodeURIComponent(roomId)}`;
    try {
      await navigator.clipboard.writeText(link);
      uiActions.toast('Invite link copied');
    } catch {
      uiActions.toast(`Invite link: ${link}`);
    }
  };

  return (
    <div className="flex h-dvh flex-col bg-zinc-950">
      {signaling === 'reconnecting' ? (
        <div role="status" className="flex items-center justify-center gap-2 bg-amber-500 px-4 py-1.5 text-sm font-medium text-zinc-950" data-testid="reconnect-banner">
          <span className="size-3 animate-spin rounded-full border-2 border-zinc-950 border-t-transparent" aria-hidden="true" />
          Reconnecting to the server… your call continues meanwhile.
        </div>
      ) : null}
      <header inert={covered} className="flex items-center justify-between px-4 pt-3 pb-1">
        <h1 className="truncate text-sm font-medium text-zinc-300">
          {roomId} <span className="text-zinc-500">· {peers.length + 1} in the call</span>
        </h1>
      </header>
      <div className="flex min-h-0 flex-1 gap-3 px-3 pb-2">
        <main inert={covered} className="min-h-0 min-w-0 flex-1" aria-label="Video">
          <VideoGrid tiles={tiles} onRetry={(peerId) => client.retryLink(peerId)} />
        </main>
        {panel ? (
          <aside
            ref={asideRef}
            aria-label={PANEL_TITLE[panel]}
            className="fixed inset-0 z-20 flex flex-col bg-zinc-900 sm:static sm:inset-auto sm:z-auto sm:w-80 sm:shrink-0 sm:rounded-xl sm:border sm:border-zinc-800"
          >
            <div className="flex items-center justify-between border-b border-zinc-800 px-4 py-3">
              <h2 tabIndex={-1} className="font-medium outline-none">
                {PANEL_TITLE[panel]}
              </h2>
              <button
                type="button"
                aria-label={`Close ${PANEL_TITLE[panel].toLowerCase()}`}
                onClick={() => uiActions.closePanel()}
                className="rounded-md p-1 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-emerald-400"
              >
                <CloseIcon className="size-5" />
              </button>
            </div>
            {panel === 'chat' ? (
              <ChatPanel />
            ) : panel === 'participants' ? (
              <ParticipantsPanel />
            ) : panel === 'stats' ? (
              <StatsPanel />
            ) : (
              <section aria-label="Devices" className="flex flex-col gap-4 p-4">
                <DevicePickers onSelect={(kind, deviceId) => void client.selectDevice(kind, deviceId)} onChooseSpeaker={() => client.chooseSpeaker()} />
              </section>
            )}
          </aside>
        ) : null}
      </div>
      <footer inert={covered} className="px-3 pt-1 pb-4">
        <ControlBar onInvite={() => void invite()} onLeave={onLeave} />
      </footer>
      <div hidden>
        {peers.map((peer) => (
          <RemoteAudio key={peer.id} stream={client.remoteStreams(peer.id).camera} version={peer.mediaVersion} />
        ))}
      </div>
      <Toasts />
    </div>
  );
}
