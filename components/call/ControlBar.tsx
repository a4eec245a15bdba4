'use client';

/**
 * ControlBar: mic, camera, screen share, chat, participants, stats, devices, invite link,
 * leave. On a phone (below the `sm` breakpoint) screen share, stats, devices and the
 * invite link move into a "More controls" menu so that the bar stays on one row.
 */
import { useChat, useMedia, usePeers, uiActions, useUi } from '@/lib/stores';
import { useRoomClient } from '../room/RoomClientContext';
import { IconButton } from '../ui/Button';
import { MoreMenu, type MoreMenuItem } from './MoreMenu';
import { CameraIcon, CameraOffIcon, ChatIcon, LeaveIcon, LinkIcon, MicIcon, MicOffIcon, ScreenIcon, SettingsIcon, StatsIcon, UsersIcon } from '../ui/icons';

/** A control that is a button on the bar from the `sm` breakpoint up, and an item of the More menu below it. */
function WideControl({ item }: { item: MoreMenuItem }) {
  return (
    <IconButton label={item.label} aria-pressed={item.checked} active={item.checked} className="max-sm:hidden" onClick={item.onSelect}>
      {item.icon}
    </IconButton>
  );
}

export function ControlBar({ onInvite, onLeave }: { onInvite: () => void; onLeave: () => void }) {
  const client = useRoomClient();
  const audioOn = useMedia((state) => state.audioEnabled && state.hasAudioTrack);
  const videoOn = useMedia((state) => state.videoEnabled && state.hasVideoTrack);
  const sharing = useMedia((state) => state.screenSharing);
  const unread = useChat((state) => state.unread);
  const panel = useUi((state) => state.panel);
  const peerCount = usePeers((state) => state.order.length);
  const canShare = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
  const share: MoreMenuItem | undefined = canShare
    ? { label: sharing ? 'Stop sharing your screen' : 'Share your screen', icon: <ScreenIcon className="size-5" />, checked: sharing, onSelect: () => void client.toggleScreenShare() }
    : undefined;
  const more: MoreMenuItem[] = [
    { label: 'Connection stats', icon: <StatsIcon className="size-5" />, checked: panel === 'stats', onSelect: () => uiActions.togglePanel('stats') },
    { label: 'Devices', icon: <SettingsIcon className="size-5" />, checked: panel === 'devices', onSelect: () => uiActions.togglePanel('devices') },
    { label: 'Copy invite link', icon: <LinkIcon className="size-5" />, onSelect: onInvite },
  ];

  return (
    <nav aria-label="Call controls" className="flex flex-wrap items-center justify-center gap-2 sm:gap-3">
      <IconButton label={audioOn ? 'Mute microphone (M)' : 'Unmute microphone (M)'} aria-pressed={!audioOn} tone={audioOn ? undefined : 'danger'} onClick={() => void client.toggleMic()}>
        {audioOn ? <MicIcon className="size-5" /> : <MicOffIcon className="size-5" />}
      </IconButton>
      <IconButton label={videoOn ? 'Turn camera off (V)' : 'Turn camera on (V)'} aria-pressed={!videoOn} tone={videoOn ? undefined : 'danger'} onClick={() => void client.toggleCamera()}>
        {videoOn ? <CameraIcon className="size-5" /> : <CameraOffIcon className="size-5" />}
      </IconButton>
      {share ? <WideControl item={share} /> : null}
      <span className="mx-1 hidden h-8 w-px bg-zinc-800 sm:block" aria-hidden="true" />
      <IconButton label={unread ? `Chat (${unread} unread)` : 'Chat'} aria-pressed={panel === 'chat'} active={panel === 'chat'} badge={unread} onClick={() => uiActions.togglePanel('chat')}>
        <ChatIcon className="size-5" />
      </IconButton>
      <IconButton label={`Participants (${peerCount + 1})`} aria-pressed={panel === 'participants'} active={panel === 'participants'} onClick={() => uiActions.togglePanel('participants')}>
        <UsersIcon className="size-5" />
      </IconButton>
      {more.map((item) => (
        <WideControl key={item.label} item={item} />
      ))}
      <div className="sm:hidden">
        <MoreMenu items={share ? [share, ...more] : more} />
      </div>
      <IconButton label="Leave call" tone="danger" className="w-16" onClick={onLeave}>
        <LeaveIcon className="size-5" />
      </IconButton>
    </nav>
  );
}
