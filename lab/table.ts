/** The printed policy × metric table. */
import type { Summary } from "./metrics";

const ms = (v: number | null): string => (v === null ? "-" : String(Math.round(v)));
const pct = (v: number | null, digits = 1): string => (v === null ? "-" : `${(v * 100).toFixed(digits)}%`);
const num = (v: number | null, digits = 2): string => (v === null ? "-" : v.toFixed(digits));

export const COLUMNS: Array<{ head: string; cell: (s: Summary) => string }> = [
  { head: "policy", cell: (s) => s.policy },
  { head: "free p50/p90", cell: (s) => `${ms(s.latFreeP50)}/${ms(s.latFreeP90)}` },
  { head: "quick p50/p90", cell: (s) => `${ms(s.latQuickP50)}/${ms(s.latQuickP90)}` },
  { head: "ovl p50", cell: (s) => ms(s.latOverlapP50) },
  { head: "missed", cell: (s) => num(s.missedPerRun, s.runs > 1 ? 1 : 0) },
  { head: "fs quiet", cell: (s) => pct(s.fsQuietNonCough) },
  { head: "fs cough", cell: (s) => pct(s.fsCoughQuiet) },
  { head: "fs speech", cell: (s) => pct(s.fsInSpeech) },
  { head: "fs noise q/sp", cell: (s) => `${pct(s.fsNoiseQuiet, 0)}/${pct(s.fsNoiseSpeech, 0)}` },
  { head: "bc sw", cell: (s) => pct(s.bcSwitch) },
  { head: "flaps!S4", cell: (s) => num(s.flapsOutsideS4, s.runs > 1 ? 1 : 0) },
  { head: "S4 flap/min", cell: (s) => num(s.flapsS4PerMin) },
  { head: "eff", cell: (s) => num(s.efficiency) },
  { head: "time acc", cell: (s) => pct(s.timeAccuracy) },
  { head: "coloc>=6", cell: (s) => pct(s.coloc6) },
  { head: "coloc3", cell: (s) => pct(s.coloc3) },
  { head: "wide", cell: (s) => pct(s.wideShare) },
  { head: "xtalk wide", cell: (s) => pct(s.crosstalkWide) },
];

export function formatTable(title: string, rows: readonly Summary[]): string {
  const cells = [COLUMNS.map((c) => c.head), ...rows.map((r) => COLUMNS.map((c) => c.cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]): string => `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [`### ${title}`, "", line(cells[0] ?? []), sep, ...cells.slice(1).map(line)].join("\n");
}

/**
 * False switches per sound family: one row per family, one column per policy, each cell
 * "in silence / during speech" (with the number of instances in the family's head).
 */
export function formatKindTable(title: string, rows: readonly Summary[]): string {
  const kinds = [...new Set(rows.flatMap((r) => Object.keys(r.fsByKind)))].sort();
  if (kinds.length === 0) return `### ${title}\n\n(no sound effects)`;
  const head = ["family (n quiet/speech)", ...rows.map((r) => r.policy)];
  const cells = [
    head,
    ...kinds.map((k) => {
      const any = rows.find((r) => r.fsByKind[k])?.fsByKind[k];
      const runs = rows.find((r) => r.fsByKind[k])?.runs ?? 1;
      const n = any ? `${Math.round(any.nQuiet / runs)}/${Math.round(any.nSpeech / runs)}` : "0/0";
      return [`${k} (${n})`, ...rows.map((r) => {
        const v = r.fsByKind[k];
        return v ? `${pct(v.quiet, 0)}/${pct(v.speech, 0)}` : "-";
      })];
    }),
  ];
  const widths = head.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]): string => `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [`### ${title}`, "", line(cells[0] ?? []), sep, ...cells.slice(1).map(line)].join("\n");
}
