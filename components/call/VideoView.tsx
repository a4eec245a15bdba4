'use client';

/**
 * VideoView: a <video> showing a MediaStream. Always muted: audio plays through
 * RemoteAudio, so hiding a video never silences anyone. `version` re-attaches the
 * stream when its tracks change. `frameMark` names a User Timing mark made when the
 * first frame of a newly attached stream is presented (lib/call/marks.ts).
 */
import { useEffect, useRef } from 'react';
import { mark } from '@/lib/call/marks';

export function VideoView({
  stream,
  version = 0,
  mirrored = false,
  fit = 'cover',
  label,
  frameMark,
}: {
  stream: MediaStream | null;
  version?: number;
  mirrored?: boolean;
  fit?: 'cover' | 'contain';
  label: string;
  frameMark?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  /** The stream whose first frame was marked. */
  const marked = useRef<MediaStream | null>(null);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    // Asked again on each change (`version`) until a frame shows, the previous request
    // cancelled: a stream attached before its video track arrived shows a frame only later.
    let frameCallback: number | undefined;
    if (stream && frameMark && marked.current !== stream && 'requestVideoFrameCallback' in video) {
      frameCallback = video.requestVideoFrameCallback(() => {
        marked.current = stream;
        mark(frameMark);
      });
    }
    if (stream) void video.play().catch(() => undefined);
    return () => {
      if (frameCallback !== undefined) video.cancelVideoFrameCallback(frameCallback);
    };
  }, [stream, version, frameMark]);

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
