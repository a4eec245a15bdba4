'use client';

/** RemoteAudio: plays one peer's audio, on the chosen speaker where the browser allows it. */
import { useEffect, useRef } from 'react';
import { useMedia } from '@/lib/stores';

export function RemoteAudio({ stream, version }: { stream: MediaStream | null; version: number }) {
  const ref = useRef<HTMLAudioElement>(null);
  const speaker = useMedia((state) => state.selected.audiooutput);

  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    if (audio.srcObject !== stream) audio.srcObject = stream;
    if (stream) void audio.play().catch(() => undefined);
  }, [stream, version]);

  useEffect(() => {
    const audio = ref.current;
    // setSinkId is missing in some browsers (older Safari) despite the type. '' is the system default.
    if (audio && typeof audio.setSinkId === 'function' && (speaker || audio.sinkId)) void audio.setSinkId(speaker ?? '').catch(() => undefined);
  }, [speaker]);

  useEffect(() => {
    const audio = ref.current;
    return () => {
      if (audio) audio.srcObject = null;
    };
  }, []);

  return <audio ref={ref} autoPlay />;
}
