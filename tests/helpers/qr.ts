/** QR decoding for tests: jsQR over modules (the terminal QR) or a PNG (a screenshot). */
import jsQR from "jsqr";
import { PNG } from "pngjs";

/** Modules → pixels (4 px per module) → the text jsQR reads, or null. */
export function decodeModules(rows: boolean[][]): string | null {
  const scale = 4;
  const h = rows.length;
  const w = Math.max(...rows.map((r) => r.length));
  const px = new Uint8ClampedArray(w * scale * h * scale * 4);
  for (let y = 0; y < h * scale; y++) {
    for (let x = 0; x < w * scale; x++) {
      const dark = rows[Math.floor(y / scale)]?.[Math.floor(x / scale)] ?? false;
      const i = (y * w * scale + x) * 4;
      px[i] = px[i + 1] = px[i + 2] = dark ? 0 : 255;
      px[i + 3] = 255;
    }
  }
  return jsQR(px, w * scale, h * scale)?.data ?? null;
}

/** The text of the QR code in a PNG image, or null. */
export function decodePng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
}
