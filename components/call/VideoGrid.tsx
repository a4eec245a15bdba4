'use client';

/**
 * VideoGrid: lays the tiles out: a grid sized to fit (lib/call/layout), or, when a tile
 * is pinned or someone shares a screen, that tile on the stage and the others in a strip.
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

  const render = (tile: TileModel, compact = false) => (
    <VideoTile
      tile={tile}
      compact={compact}
      pinned={pinned === tile.id}
      onPin={() => uiActions.pin(tile.id)}
      onRetry={tile.self || tile.kind === 'screen' ? undefined : () => onRetry(tile.id)}
    />
  );

  if (stageId) {
    const stage = tiles.find((tile) => tile.id === stageId)!;
    const others = tiles.filter((tile) => tile.id !== stageId);
    return (
      <div ref={ref} className="flex size-full min-h-0 flex-col gap-2 lg:flex-row" data-testid="video-grid" data-layout="spotlight">
        <div className="min-h-0 flex-1">{render(stage)}</div>
        {others.length > 0 ? (
          <div className="flex h-28 shrink-0 gap-2 overflow-x-auto lg:h-auto lg:w-56 lg:flex-col lg:overflow-y-auto">
            {others.map((tile) => (
              <div key={tile.id} className="aspect-video h-full shrink-0 lg:h-auto lg:w-full">
                {render(tile, true)}
              </div>
            ))}
          </div>
        ) : null}
      </div>
    );
  }

  // Portrait screens (phones) fit more people with square tiles; video is cropped to fill.
  const aspect = size.height > size.width ? 1 : 16 / 9;
  const layout = gridLayout(tiles.length, size.width, size.height, aspect);
  return (
    <div ref={ref} className="flex size-full min-h-0 flex-wrap content-center items-center justify-center gap-2" data-testid="video-grid" data-layout="grid">
      {layout.columns > 0
        ? tiles.map((tile) => (
            <div key={tile.id} style={{ width: layout.tileWidth, height: layout.tileHeight }}>
              {render(tile)}
            </div>
          ))
        : null}
    </div>
  );
}
