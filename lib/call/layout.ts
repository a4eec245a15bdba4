/**
 * layout: how N video tiles fill a container. Picks the column count that makes the
 * tiles (at the given aspect ratio) as large as possible; with a spotlight (a pinned
 * tile or a screen share) one large tile takes the stage and the rest form a strip.
 */

export interface GridLayout {
  columns: number;
  rows: number;
  /** Tile size in pixels. */
  tileWidth: number;
  tileHeight: number;
}

/** The grid for `count` tiles of aspect `aspect` (width / height) in `width` × `height`, with `gap` between tiles. */
export function gridLayout(count: number, width: number, height: number, aspect = 16 / 9, gap = 8): GridLayout {
  if (count <= 0 || width <= 0 || height <= 0) return { columns: 0, rows: 0, tileWidth: 0, tileHeight: 0 };
  let best: GridLayout = { columns: 1, rows: count, tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cellWidth = (width - gap * (columns - 1)) / columns;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const tileWidth = Math.min(cellWidth, cellHeight * aspect);
    const tileHeight = tileWidth / aspect;
    if (tileWidth > best.tileWidth) best = { columns, rows, tileWidth: Math.floor(tileWidth), tileHeight: Math.floor(tileHeight) };
  }
  return best;
}

export interface TileSource {
  id: string;
  /** A screen share tile. */
  screen: boolean;
}

/**
 * Which tile takes the stage: the pinned one if it still exists, else the newest screen
 * share, else none (plain grid).
 */
export function spotlightTile(tiles: readonly TileSource[], pinnedId: string | null): string | null {
  if (pinnedId && tiles.some((tile) => tile.id === pinnedId)) return pinnedId;
  for (let i = tiles.length - 1; i >= 0; i--) if (tiles[i]!.screen) return tiles[i]!.id;
  return null;
}
