'use client';

/**
 * VideoGrid: lays the tiles out: a grid sized to fit (lib/call/layout), or, when a tile
 * is pinned or someone shares a screen, that tile on the stage (first in the DOM, as it is
 * on screen) and the others in a strip. Both layouts are the same elements with different
 * classes (see the comment below).
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { gridLayout, spotlightTile } from '@/lib/call/layout';
import { uiActions, useUi } from '@/lib/stores';
import { VideoTile, type TileModel } from './VideoTile';

function useSize<T extends HTMLElement>(): [RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

export function VideoGrid({ tiles, onRetry }: { tiles: TileModel[]; onRetry: (peerId: string) => void }) {
  const pinned = useUi((state) => state.pinned);
  const [ref, size] = useSize<HTMLDivElement>();
  const stageId = spotlightTile(
    tiles.map((tile) => ({ id: tile.id, screen: tile.kind === 'screen' })),
    pinned,
  );
  const strip = stageId !== null && tiles.length > 1;
  // The stage tile first, so that keyboard and screen-reader order follow what is seen. A
  // keyed move, not a remount: the moved <video> keeps playing.
  const ordered = stageId ? [...tiles.filter((tile) => tile.id === stageId), ...tiles.filter((tile) => tile.id !== stageId)] : tiles;
  // Portrait screens (phones) fit more people with square tiles; video is cropped to fill.
  const grid = stageId ? null : gridLayout(tiles.length, size.width, size.height, size.height > size.width ? 1 : 16 / 9);

  // One keyed list in one parent for both layouts, so switching layout (a screen share
  // starting, a pin) only changes classes: no tile is remounted and no <video> has to
  // present its first frame again. In the spotlight the list is the strip (it scrolls), and
  // the stage tile is positioned against the outer box, which the strip's overflow neither
  // clips nor scrolls. So the strip must never become a containing block (no `relative`,
  // transform, filter or contain on it), and the stage's offsets are the strip's size plus
  // the gap: bottom-30 = h-28 + 2, lg:right-58 = lg:w-56 + 2.
  return (
    <div
      ref={ref}
      className={`relative flex size-full min-h-0 ${stageId ? 'flex-col justify-end lg:flex-row' : ''}`}
      data-testid="video-grid"
      data-layout={stageId ? 'spotlight' : 'grid'}
    >
      <div
        className={
          stageId
            ? 'flex h-28 w-full shrink-0 gap-2 overflow-x-auto lg:h-full lg:w-56 lg:flex-col lg:overflow-x-hidden lg:overflow-y-auto'
            : 'flex size-full flex-wrap content-center items-center justify-center gap-2'
        }
      >
        {grid?.columns === 0
          ? null // not measured yet
          : ordered.map((tile) => {
              const onStage = tile.id === stageId;
              return (
                <div
                  key={tile.id}
                  className={
                    onStage
                      ? `absolute top-0 right-0 left-0 ${strip ? 'bottom-30 lg:right-58 lg:bottom-0' : 'bottom-0'}`
                      : stageId
                        ? 'aspect-video h-full shrink-0 lg:h-auto lg:w-full'
                        : undefined
                  }
                  style={grid ? { width: grid.tileWidth, height: grid.tileHeight } : undefined}
                >
                  <VideoTile
                    tile={tile}
                    compact={stageId !== null && !onStage}
                    pinned={pinned === tile.id}
                    onPin={() => uiActions.pin(tile.id)}
                    onRetry={tile.self || tile.kind === 'screen' ? undefined : () => onRetry(tile.id)}
                  />
                </div>
              );
            })}
      </div>
    </div>
  );
}
