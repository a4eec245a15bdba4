'use client';

/**
 * VideoView: a <video> showing a MediaStream. Always muted: audio plays through
 * RemoteAudio, so hiding a video never silences anyone. `version` re-attaches the
 * stream when its tracks change.
 */
import { useEffect, useRef } from 'react';

export function VideoView({
  stream,
  version = 0,
  mirrored = false,
  fit = 'cover',
  label,
}: {
  stream: MediaStream | null;
  version?: number;
  mirrored?: boolean;
  fit?: 'cover' | 'contain';
  label: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    if (stream) void video.play().catch(() => undefined);
  }, [stream, version]);

  useEffect(() => {
    const video = ref.current;
    return () => {
      if (video) video.srcObject = null;
    };
  }, []);

  return (
    <video
      ref={ref}
      aria-label={label}
      autoPlay
      playsInline
      muted
      className={`size-full bg-zinc-900 ${fit === 'cover' ? 'object-cover' : 'object-contain'} ${mirrored ? '-scale-x-100' : ''}`}
    />
  );
}
