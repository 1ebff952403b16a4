import type { Observation } from "@/lib/switching/types";

/** Observations for a hand-built trace: `level(id, t)` gives dBov or null (no packet). */
export function trace(ids: readonly string[], ms: number, level: (id: string, t: number) => number | null): Observation[] {
  const out: Observation[] = ids.map((id) => ({ type: "join" as const, t: 0, id }));
  for (let t = 20; t <= ms; t += 20) {
    const levels: Record<string, number> = {};
    for (const id of ids) {
      const v = level(id, t - 20);
      if (v !== null) levels[id] = v;
    }
    out.push({ type: "levels", t, levels });
  }
  return out;
}

/** The switching tests' runner, which also checks every decision against the policy's state. */
export { run } from "../switching/trace";

export const SILENT = 90;
export const SPEECH = 20;
