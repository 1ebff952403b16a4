/**
 * The wide shot's grid: how many columns and rows, and how large each tile, so that n
 * cameras of one aspect fill a screen as fully as they can. Pure (unit-tested); the
 * stage measures itself and asks again when its size or the number of people changes.
 */

/** Cameras are captured 4:3 (VIDEO_WIDTH × VIDEO_HEIGHT, 640×480); tiles keep that shape. */
export const TILE_ASPECT = 4 / 3;
/** The most tiles a wide shot shows (4×4); beyond it the last speaker and the earliest joiners. */
export const MAX_WIDE_TILES = 16;

export interface GridShape {
  cols: number;
  rows: number;
  /** px, each tile; tiles keep `aspect` and are centred, a short last row too */
  tileWidth: number;
  tileHeight: number;
}

/**
 * The column count whose tiles are the largest: 2 side by side on a landscape screen
 * and stacked on a portrait one, 3–4 as 2×2, and so on. On a tie the squarer grid wins.
 */
export function gridShape(n: number, width: number, height: number, gap = 0, aspect = TILE_ASPECT): GridShape {
  const count = Math.max(1, Math.floor(n));
  let best: GridShape = { cols: 1, rows: count, tileWidth: 0, tileHeight: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    // A row count that leaves a whole row empty is the same grid with fewer rows.
    if (rows * cols - count >= cols) continue;
    const cellWidth = Math.max(0, (width - gap * (cols - 1)) / cols);
    const cellHeight = Math.max(0, (height - gap * (rows - 1)) / rows);
    const tileWidth = Math.min(cellWidth, cellHeight * aspect);
    const better = tileWidth > best.tileWidth + 1e-6 || (Math.abs(tileWidth - best.tileWidth) <= 1e-6 && Math.abs(cols - rows) < Math.abs(best.cols - best.rows));
    if (better) best = { cols, rows, tileWidth, tileHeight: tileWidth / aspect };
  }
  return { ...best, tileWidth: Math.floor(best.tileWidth), tileHeight: Math.floor(best.tileHeight) };
}
