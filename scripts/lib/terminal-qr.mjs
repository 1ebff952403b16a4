// @ts-check
// A QR code for the terminal: two modules per character cell with the upper half block
// (▀), foreground = upper module, background = lower one. Explicit black/white ANSI
// colours, so it scans on dark and light terminal themes alike.
const DARK_FG = 30;
const LIGHT_FG = 97;
const DARK_BG = 40;
const LIGHT_BG = 107;

/**
 * `matrix[y][x]` true = dark module. A 2-module quiet zone is added around it.
 * @param {boolean[][]} matrix
 */
export function renderTerminalQr(matrix, quiet = 2) {
  const n = matrix.length;
  const at = (/** @type {number} */ x, /** @type {number} */ y) => (x >= 0 && y >= 0 && x < n && y < n ? (matrix[y]?.[x] ?? false) : false);
  const lines = [];
  for (let y = -quiet; y < n + quiet; y += 2) {
    let line = "";
    for (let x = -quiet; x < n + quiet; x++) {
      line += `\x1b[${at(x, y) ? DARK_FG : LIGHT_FG};${at(x, y + 1) ? DARK_BG : LIGHT_BG}m▀`;
    }
    lines.push(line + "\x1b[0m");
  }
  return lines.join("\n");
}

/**
 * The QR of `text` for the terminal (uqr encodes; loaded after npm install).
 * @param {string} text
 */
export async function terminalQr(text) {
  const { encode } = await import("uqr");
  return renderTerminalQr(encode(text, { ecc: "M", border: 0 }).data);
}

/**
 * Back from terminal text to modules (tests decode what start printed).
 * @param {string} text
 * @returns {boolean[][]}
 */
export function parseTerminalQr(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    const cells = [...line.matchAll(/\x1b\[(\d+);(\d+)m▀/g)];
    if (!cells.length) continue;
    rows.push(cells.map((c) => Number(c[1]) === DARK_FG));
    rows.push(cells.map((c) => Number(c[2]) === DARK_BG));
  }
  return rows;
}
