'use client';

/** LevelMeter: a live bar for the microphone's loudness (updated per animation frame, no re-renders). */
import { useEffect, useRef } from 'react';
import { AudioLevelMeter } from '@/lib/call/AudioLevelMeter';

export function LevelMeter({ track }: { track: MediaStreamTrack | null }) {
  const barRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!track || typeof AudioContext === 'undefined') return;
    let meter: AudioLevelMeter;
    try {
      meter = new AudioLevelMeter(track);
    } catch {
      return;
    }
    let frame = 0;
    const draw = (): void => {
      const level = track.enabled ? meter.level() : 0;
      if (barRef.current) barRef.current.style.width = `${Math.round(level * 100)}%`;
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => {
      cancelAnimationFrame(frame);
      meter.close();
    };
  }, [track]);

  return (
    <div className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-800" role="img" aria-label="Microphone level" data-testid="level-meter">
      <div ref={barRef} className="h-full w-0 rounded-full bg-emerald-400 transition-[width] duration-75" />
    </div>
  );
}
