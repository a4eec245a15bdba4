'use client';

/**
 * PreJoin: before entering: camera preview, microphone level, device pickers, camera and
 * microphone on/off, your name. Joining works without camera or microphone too.
 */
import Link from 'next/link';
import { type FormEvent } from 'react';
import type { LocalMedia } from '@/lib/call/LocalMedia';
import { useConnection, useMedia } from '@/lib/stores';
import { Avatar } from '../call/Avatar';
import { VideoView } from '../call/VideoView';
import { Button, IconButton } from '../ui/Button';
import { CameraIcon, CameraOffIcon, MicIcon, MicOffIcon } from '../ui/icons';
import { FieldError } from '../ui/TextField';
import { DisplayNameField } from './DisplayNameField';
import { DevicePickers } from './DevicePicker';
import { LevelMeter } from './LevelMeter';

export function PreJoin({ roomId, media, onJoin }: { roomId: string; media: LocalMedia | null; onJoin: () => void }) {
  const displayName = useMedia((state) => state.displayName);
  const audioOn = useMedia((state) => state.audioEnabled && state.hasAudioTrack);
  const videoOn = useMedia((state) => state.videoEnabled && state.hasVideoTrack);
  const audioWanted = useMedia((state) => state.audioEnabled);
  const videoWanted = useMedia((state) => state.videoEnabled);
  const localVersion = useMedia((state) => state.localVersion);
  const mediaError = useMedia((state) => state.mediaError);
  const phase = useConnection((state) => state.phase);
  const joinError = useConnection((state) => state.joinError);
  const joining = phase === 'joining';
  const nameMissing = displayName.trim() === '';

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!nameMissing && !joining) onJoin();
  };

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-5xl flex-col justify-center gap-6 px-5 py-8">
      <div className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between sm:gap-4">
        <h1 className="text-2xl font-semibold break-all">
          Join <span className="text-emerald-400">{roomId}</span>
        </h1>
        {/* Not prefetched: whoever opens an invite link came to join, and the lobby's code would add 10 kB to every join. */}
        <Link href="/" prefetch={false} className="shrink-0 text-sm text-zinc-400 underline-offset-4 hover:text-zinc-100 hover:underline">
          Back to the lobby
        </Link>
      </div>
      <div className="grid gap-6 md:grid-cols-[3fr_2fr]">
        <section aria-label="Preview" className="flex flex-col gap-3">
          <div className="relative aspect-video overflow-hidden rounded-2xl bg-zinc-900">
            {videoOn && media ? (
              <VideoView stream={media.stream} version={localVersion} mirrored label="Your camera preview" />
            ) : (
              <div className="flex size-full flex-col items-center justify-center gap-3 text-sm text-zinc-400">
                <Avatar name={displayName || '?'} />
                {videoWanted ? 'Starting camera…' : 'Camera is off'}
              </div>
            )}
            <div className="absolute bottom-3 left-1/2 flex -translate-x-1/2 gap-3">
              <IconButton
                label={audioWanted ? 'Turn microphone off' : 'Turn microphone on'}
                aria-pressed={!audioWanted}
                tone={audioWanted ? undefined : 'danger'}
                onClick={() => void media?.setMicEnabled(!audioWanted)}
              >
                {audioWanted ? <MicIcon className="size-5" /> : <MicOffIcon className="size-5" />}
              </IconButton>
              <IconButton
                label={videoWanted ? 'Turn camera off' : 'Turn camera on'}
                aria-pressed={!videoWanted}
                tone={videoWanted ? undefined : 'danger'}
                onClick={() => void media?.setCameraEnabled(!videoWanted)}
              >
                {videoWanted ? <CameraIcon className="size-5" /> : <CameraOffIcon className="size-5" />}
              </IconButton>
            </div>
          </div>
          <LevelMeter track={audioOn && media ? media.audioTrack : null} />
        </section>

        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          <DisplayNameField invalid={nameMissing} />
          {media ? <DevicePickers onSelect={(kind, deviceId) => void media.selectDevice(kind, deviceId)} onChooseSpeaker={() => media.chooseSpeaker()} /> : null}
          {mediaError ? (
            <p role="alert" className="rounded-lg border border-amber-700 bg-amber-950/60 px-3 py-2 text-sm text-amber-200" data-testid="media-error">
              {mediaError.message}
              {audioOn || videoOn ? null : ' You can still join to listen and watch.'}
            </p>
          ) : null}
          {joinError ? <FieldError>{joinError}</FieldError> : null}
          <Button type="submit" tone="primary" className="mt-2 py-3 text-base" disabled={nameMissing || joining || !media}>
            {joining ? 'Joining…' : 'Join now'}
          </Button>
          {nameMissing ? <p className="text-xs text-zinc-500">Enter your name to join.</p> : null}
        </form>
      </div>
    </main>
  );
}
