import { describe, expect, it } from "vitest";
import { gridShape } from "@/components/program/grid-shape";

const shape = (n: number, w: number, h: number) => {
  const s = gridShape(n, w, h);
  return `${s.cols}x${s.rows}`;
};

describe("the wide shot's grid", () => {
  it("lays 1..9 cameras out on a landscape screen: 2 side by side, 3–4 as 2×2, 5–6 as 3×2", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => shape(n, 1280, 720))).toEqual(["1x1", "2x1", "2x2", "2x2", "3x2", "3x2"]);
    // 9 fills a square grid; on a 4:3 screen so do 7 and 8
    expect(shape(9, 1280, 720)).toBe("3x3");
    expect([7, 8, 9].map((n) => shape(n, 1024, 768))).toEqual(["3x3", "3x3", "3x3"]);
  });

  it("stacks them on a portrait phone", () => {
    expect(shape(2, 390, 844)).toBe("1x2");
    expect(shape(3, 390, 844)).toBe("1x3");
  });

  it("fits every tile on screen and picks the largest tiles any column count allows", () => {
    for (const [w, h] of [
      [1280, 720],
      [390, 844],
      [1920, 1080],
      [800, 800],
    ] as const) {
      for (let n = 1; n <= 16; n++) {
        const gap = 8;
        const s = gridShape(n, w, h, gap);
        expect(s.cols * s.rows).toBeGreaterThanOrEqual(n);
        expect(s.cols * s.tileWidth + (s.cols - 1) * gap).toBeLessThanOrEqual(w);
        expect(s.rows * s.tileHeight + (s.rows - 1) * gap).toBeLessThanOrEqual(h);
        for (let cols = 1; cols <= n; cols++) {
          const rows = Math.ceil(n / cols);
          const other = Math.min((w - gap * (cols - 1)) / cols, ((h - gap * (rows - 1)) / rows) * (4 / 3));
          expect(Math.floor(other)).toBeLessThanOrEqual(s.tileWidth);
        }
      }
    }
  });

  it("keeps the tiles' aspect", () => {
    const s = gridShape(4, 1280, 720, 0, 16 / 9);
    expect(s.tileWidth / s.tileHeight).toBeCloseTo(16 / 9, 1);
  });
});
