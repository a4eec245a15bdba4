import { describe, expect, it } from 'vitest';
import { gridLayout, spotlightTile } from './layout';

describe('gridLayout()', () => {
  it('uses one full-size tile for one participant', () => {
    expect(gridLayout(1, 1600, 900, 16 / 9, 0)).toEqual({ columns: 1, rows: 1, tileWidth: 1600, tileHeight: 900 });
  });

  it('puts two side by side on a wide screen and stacked on a phone', () => {
    expect(gridLayout(2, 1600, 900).columns).toBe(2);
    expect(gridLayout(2, 375, 700).columns).toBe(1);
  });

  it.each([
    [3, 1600, 900, 2],
    [4, 1600, 900, 2],
    [5, 1600, 900, 3],
    [6, 1600, 900, 3],
    [8, 1600, 900, 3],
    [8, 375, 700, 2],
  ])('fits %i tiles in %ix%i with %i columns', (count, width, height, columns) => {
    const layout = gridLayout(count, width, height);
    expect(layout.columns).toBe(columns);
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(count);
    expect(layout.tileWidth * layout.columns).toBeLessThanOrEqual(width);
    expect(layout.tileHeight * layout.rows).toBeLessThanOrEqual(height);
  });

  it('is empty for no tiles or no room', () => {
    expect(gridLayout(0, 100, 100).columns).toBe(0);
    expect(gridLayout(3, 0, 100).columns).toBe(0);
  });
});

describe('spotlightTile()', () => {
  const tiles = [
    { id: 'me', screen: false },
    { id: 'bob', screen: false },
    { id: 'bob:screen', screen: true },
    { id: 'carol:screen', screen: true },
  ];

  it('prefers the pinned tile, then the newest screen share', () => {
    expect(spotlightTile(tiles, 'bob')).toBe('bob');
    expect(spotlightTile(tiles, null)).toBe('carol:screen');
    expect(spotlightTile(tiles, 'gone')).toBe('carol:screen');
    expect(spotlightTile(tiles.slice(0, 2), null)).toBeNull();
  });
});
