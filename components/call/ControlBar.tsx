'use client';

/** ControlBar: mic, camera, screen share, chat, participants, stats, invite link, leave. */
import { useChat, useMedia, usePeers, uiActions, useUi } from '@/lib/stores';
import { useRoomClient } from '../room/RoomClientContext';
import { IconButton } from '../ui/Button';
import { CameraIcon, CameraOffIcon, ChatIcon, LeaveIcon, LinkIcon, MicIcon, MicOffIcon, ScreenIcon, SettingsIcon, StatsIcon, UsersIcon } from '../ui/icons';

export function ControlBar({ onInvite, onLeave }: { onInvite: () => void; onLeave: () => void }) {
  const client = useRoomClient();
  const audioOn = useMedia((state) => state.audioEnabled && state.hasAudioTrack);
  const videoOn = useMedia((state) => state.videoEnabled && state.hasVideoTrack);
  const sharing = useMedia((state) => state.screenSharing);
  const unread = useChat((state) => state.unread);
  const panel = useUi((state) => state.panel);
  const peerCount = usePeers((state) => state.order.length);
  const canShare = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

  return (
    <nav aria-label="Call controls" className="flex flex-wrap items-center justify-center gap-2 sm:gap-3">
      <IconButton label={audioOn ? 'Mute microphone (M)' : 'Unmute microphone (M)'} aria-pressed={!audioOn} tone={audioOn ? undefined : 'danger'} onClick={() => void client.toggleMic()}>
        {audioOn ? <MicIcon className="size-5" /> : <MicOffIcon className="size-5" />}
      </IconButton>
      <IconButton label={videoOn ? 'Turn camera off (V)' : 'Turn camera on (V)'} aria-pressed={!videoOn} tone={videoOn ? undefined : 'danger'} onClick={() => void client.toggleCamera()}>
        {videoOn ? <CameraIcon className="size-5" /> : <CameraOffIcon className="size-5" />}
      </IconButton>
      {canShare ? (
        <IconButton label={sharing ? 'Stop sharing your screen' : 'Share your screen'} aria-pressed={sharing} active={sharing} onClick={() => void client.toggleScreenShare()}>
          <ScreenIcon className="size-5" />
        </IconButton>
      ) : null}
      <span className="mx-1 hidden h-8 w-px bg-zinc-800 sm:block" aria-hidden="true" />
      <IconButton label={unread ? `Chat (${unread} unread)` : 'Chat'} aria-pressed={panel === 'chat'} active={panel === 'chat'} badge={unread} onClick={() => uiActions.togglePanel('chat')}>
        <ChatIcon className="size-5" />
      </IconButton>
      <IconButton label={`Participants (${peerCount + 1})`} aria-pressed={panel === 'participants'} active={panel === 'participants'} onClick={() => uiActions.togglePanel('participants')}>
        <UsersIcon className="size-5" />
      </IconButton>
      <IconButton label="Connection stats" aria-pressed={panel === 'stats'} active={panel === 'stats'} onClick={() => uiActions.togglePanel('stats')}>
        <StatsIcon className="size-5" />
      </IconButton>
      <IconButton label="Devices" aria-pressed={panel === 'devices'} active={panel === 'devices'} onClick={() => uiActions.togglePanel('devices')}>
        <SettingsIcon className="size-5" />
      </IconButton>
      <IconButton label="Copy invite link" onClick={onInvite}>
        <LinkIcon className="size-5" />
      </IconButton>
      <IconButton label="Leave call" tone="danger" className="w-16" onClick={onLeave}>
        <LeaveIcon className="size-5" />
      </IconButton>
    </nav>
  );
}
