/**
 * One SVG timeline per scenario: the ground-truth floor on top, each policy's program below
 * it as coloured bands, and every participant's level trace as a sparkline at the bottom.
 * Colours are per participant and consistent across rows, so a misplaced cut is visible as
 * a colour that disagrees with the floor above it.
 */
import type { Cut } from "./metrics";
import type { LevelTrace, Truth } from "./trace";

const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324"];
const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function timelineSvg(truth: Truth, trace: LevelTrace, cuts: Record<string, Cut[]>): string {
  const W = 1200;
  const left = 110;
  const rowH = 18;
  const gap = 4;
  const dur = truth.durationMs;
  const x = (t: number): number => left + ((W - left - 10) * Math.max(0, Math.min(dur, t))) / dur;
  const colour = new Map(truth.participants.map((p, i) => [p, PALETTE[i % PALETTE.length] ?? "#888"]));
  const out: string[] = [];
  let y = 24;
  const label = (text: string, yy: number, fill = "#000"): void => {
    out.push(`<text x="4" y="${yy + rowH - 5}" font-size="11" font-family="monospace" fill="${fill}">${esc(text)}</text>`);
  };
  const band = (from: number, to: number, who: string | null, yy: number): void => {
    if (who === null || to <= from) return;
    out.push(`<rect x="${x(from).toFixed(1)}" y="${yy}" width="${Math.max(0.5, x(to) - x(from)).toFixed(1)}" height="${rowH}" fill="${colour.get(who) ?? "#888"}"><title>${esc(who)} ${(from / 1000).toFixed(2)}-${(to / 1000).toFixed(2)} s</title></rect>`);
  };
  out.push(`<text x="4" y="14" font-size="12" font-family="monospace" font-weight="bold">${esc(truth.scenario)}</text>`);
  label("floor", y);
  for (const s of truth.floor) band(s.from, s.to, s.who, y);
  for (const u of truth.utterances.filter((u) => u.role === "backchannel")) {
    out.push(`<text x="${x(u.onset)}" y="${y - 2}" font-size="9" fill="#555">bc</text>`);
  }
  for (const s of truth.sfx) out.push(`<text x="${x(s.start)}" y="${y - 2}" font-size="9" fill="#a00">${esc(s.kind)}</text>`);
  y += rowH + gap * 3;
  for (const [name, list] of Object.entries(cuts)) {
    label(name, y);
    out.push(`<rect x="${left}" y="${y}" width="${W - left - 10}" height="${rowH}" fill="#f4f4f4"/>`);
    list.forEach((c, i) => band(c.t, list[i + 1]?.t ?? dur, c.to, y));
    y += rowH + gap;
  }
  y += gap * 2;
  const sparkH = 26;
  for (const p of trace.participants) {
    label(p, y, colour.get(p));
    const levels = trace.levels[p] ?? [];
    const pts: string[] = [];
    levels.forEach((v, i) => {
      if (v === null) return;
      // Louder is higher: 0 dBov at the top, 90 dBov and quieter at the bottom.
      const yy = y + (sparkH * Math.min(90, v)) / 90;
      pts.push(`${x((i + 0.5) * trace.frameMs).toFixed(1)},${yy.toFixed(1)}`);
    });
    out.push(`<polyline fill="none" stroke="${colour.get(p) ?? "#888"}" stroke-width="0.8" points="${pts.join(" ")}"/>`);
    y += sparkH + gap;
  }
  for (let s = 0; s <= dur / 1000; s += 5) {
    out.push(`<text x="${x(s * 1000)}" y="${y + 10}" font-size="9" fill="#555">${s}s</text>`);
  }
  y += 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}"><rect width="100%" height="100%" fill="white"/>${out.join("")}</svg>\n`;
}
