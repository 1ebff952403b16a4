/**
 * Grid search for "evidence" on the TUNING seeds only (held-out seeds are never looked at here,
 * so the held-out table stays an honest estimate).
 *
 *   npx tsx lab/grid-search.ts [--scenarios DIR] [--out DIR] [--stage 1,2,3|c|m|all] [--base JSON]
 *
 * Two staged grids rather than one cartesian product (which would be thousands of points):
 * stage 1 searches the evidence/voicing/hang parameters, stage 2 the takeover, dwell and
 * co-location parameters around stage 1's winner, stage 3 the handover/dip parameters. Each point is scored by how far it misses
 * the issue-4 targets (normalised per metric), then by time accuracy and latency.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_SWITCH_CONFIG, SWITCH_PARAMETERS, type SwitchConfig, validateSwitchConfig } from "@/lib/switching/config";
import { createPolicy } from "@/lib/switching/index";
import type { Observation } from "@/lib/switching/types";
import { evaluateAll, generateAll, summarize } from "./lab";
import { type RunRecord, type Summary, aggregate, checkTargets, cutsFromDecisions, evaluate, relativeChecks } from "./metrics";
import { runPolicy, withSpeakerHints } from "./run";
import { familyOf, loadScenarioDir } from "./scenario";
import type { Truth } from "./trace";
import { observations } from "./trace";

type Grid = Record<string, number[]>;

export const STAGE1: Grid = {
  minSpeechMs: [200, 240, 280, 320, 360, 400, 440, 480],
  speechWindowMs: [400, 500, 600, 800],
  voicedAboveFloorDb: [6, 8, 10, 12, 15],
  holdHangMs: [200, 300, 400, 600],
};

export const STAGE2: Grid = {
  takeoverMarginDb: [1, 2, 3, 4.5, 6],
  takeoverMs: [0, 75, 150, 300, 600],
  dwellMs: [0, 300, 500, 1000],
  colocatedMarginDb: [0, 1, 2],
  activityTauMs: [200, 400, 800],
};

/**
 * The values that keep lib/switching's own unit tests green (checked one parameter at a time
 * against tests/unit/switching). Those tests pin behaviours the lab's synthetic scenarios do
 * not cover, such as a LOUD backchannel during the holder's speech, so the shipped defaults
 * are searched only inside this set. See --stage c.
 */
export const STAGE_CONSTRAINED: Grid = {
  speechWindowMs: [400, 500, 600],
  voicedAboveFloorDb: [8, 10, 12],
  activityTauMs: [300, 400],
  handoverWindowMs: [1000, 1500],
  takeoverMs: [450, 600],
};

/** The voice-model rule (issue 12): how much model evidence a cut needs and how soon it is believed. */
export const STAGE_MODEL: Grid = {
  modelMinVoiceMs: [80, 120, 160, 200],
  modelMinSpeechMs: [60, 100, 140],
  modelHandoverMinSpurtMs: [200, 300, 400],
  modelCoverage: [0.5, 0.7, 0.85],
};

export const STAGE3: Grid = {
  dipToleranceMs: [100, 150, 250],
  handoverWindowMs: [1000, 1500, 2500],
  handoverMinSpurtMs: [300, 400, 600, 800],
  colocatedSpreadDb: [2, 3, 4],
};

/** Weight of a target miss, per unit of the metric: one "point" is about this much off. */
const UNIT: Record<string, number> = {
  "lat free p50 ms": 25,
  "lat free p90 ms": 25,
  "lat quick p50 ms": 25,
  "lat quick p90 ms": 25,
  "lat free p50 ms (issue 12)": 25,
  "lat free p90 ms (issue 12)": 25,
  "lat quick p50 ms (issue 12)": 25,
  "lat ovl p50 ms (issue 12)": 25,
  "fs noise families quiet": 0.05,
  "fs noise families speech": 0.02,
  "missed turns": 1,
  "fs click/kbd/door/clap": 0.05,
  "fs cough quiet": 0.05,
  "fs in speech": 0.02,
  "backchannel switch": 0.01,
  "flaps outside S4": 1,
  "flaps S4 /min": 0.1,
  "efficiency max": 0.05,
  "efficiency min": 0.05,
  "time accuracy": 0.005,
  "coloc >=6dB": 0.005,
  "coloc 3dB": 0.01,
};

/** Anchors run once on the tuning seeds; they set the relative bar of issue 4. */
export const ANCHORS = ["livekit", "jitsi-dsi", "mediasoup-alo", "janus", "webrtc-csm"];

/**
 * Lower is better. Both bars of issue 4 count, in the same units: the absolute targets and
 * the relative one (latency vs the fastest robust anchor, false switches and flaps vs the
 * calmest). Where they cannot all be met, this decides the trade-off; the UNIT table is
 * the exchange rate (e.g. 25 ms of latency weighs as much as 5 % more cough switches).
 */
export function score(s: Summary, anchors: readonly Summary[] = []): number {
  const abs = checkTargets(s).reduce((a, c) => a + c.miss / (UNIT[c.metric] ?? 1), 0);
  const rel = relativeChecks(s, anchors).reduce((a, c) => a + c.miss / (UNIT[c.metric] ?? 1), 0);
  const miss = abs + rel;
  // Tie-break among equally compliant points: more time on the holder, then faster cuts.
  return miss - (s.timeAccuracy ?? 0) + (s.latFreeP50 ?? 0) / 10000 + (s.latQuickP50 ?? 0) / 10000;
}

function points(grid: Grid): Array<Record<string, number>> {
  const known = new Set(SWITCH_PARAMETERS.map((p) => p.key as string));
  // A key the policy no longer has is dropped rather than silently ignored by the policy.
  const entries = Object.entries(grid).filter(([k]) => known.has(k));
  let out: Array<Record<string, number>> = [{}];
  for (const [k, values] of entries) out = out.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  return out;
}

interface Prepared {
  name: string;
  family: string;
  truth: Truth;
  obs: Observation[];
}

function evaluatePoint(prepared: readonly Prepared[], config: SwitchConfig): { summary: Summary; records: RunRecord[] } {
  const records = prepared.map((p) => {
    const cuts = cutsFromDecisions(runPolicy(createPolicy({ ...config, policy: "evidence" }), p.obs));
    return evaluate(p.truth, cuts, { scenario: p.name, family: p.family, split: "tuning", policy: "evidence", run: 0 });
  });
  return { summary: aggregate("evidence", records), records };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenarios: { type: "string", default: join(__dirname, "scenarios") },
      out: { type: "string", default: "lab-out" },
      stage: { type: "string", default: "all" },
      base: { type: "string" },
      rounds: { type: "string", default: "2" },
    },
  });
  const outDir = resolve(values.out);
  mkdirSync(outDir, { recursive: true });
  const tuning = loadScenarioDir(values.scenarios).filter((l) => l.scenario.split === "tuning");
  process.stderr.write(`grid search on ${tuning.length} tuning scenarios\n`);
  // "evidence" reads the voice model's track, so the audio is needed to compute it (cached).
  const gens = await generateAll(tuning, { writeAudio: true, speech: true });
  const prepared: Prepared[] = gens.map(({ loaded, gen, speech }) => ({
    name: gen.name,
    family: familyOf(loaded.scenario),
    truth: gen.truth,
    obs: withSpeakerHints(observations(gen.trace, speech)),
  }));

  const anchorRuns = evaluateAll(gens, ANCHORS, DEFAULT_SWITCH_CONFIG, 10);
  const anchors = summarize(anchorRuns.records, ANCHORS);
  let base: SwitchConfig = { ...DEFAULT_SWITCH_CONFIG, ...(values.base ? (JSON.parse(values.base) as Partial<SwitchConfig>) : {}) };
  const baseline = evaluatePoint(prepared, base);
  process.stderr.write(`baseline (current defaults) score ${score(baseline.summary, anchors).toFixed(3)}\n`);
  const history: Array<{ stage: string; point: Record<string, number>; score: number; summary: Summary }> = [];
  const all: Array<[string, Grid]> = [
    ["1", STAGE1],
    ["2", STAGE2],
    ["3", STAGE3],
    ["c", STAGE_CONSTRAINED],
    ["m", STAGE_MODEL],
  ];
  const stages = values.stage === "all" ? all.filter(([name]) => name !== "c" && name !== "m") : all.filter(([name]) => values.stage?.split(",").includes(name));
  const rounds = Math.max(1, Number(values.rounds) || 1);
  const runStage = (stage: string, grid: Grid): void => {
    const pts = points(grid);
    const t0 = Date.now();
    let best: { point: Record<string, number>; score: number; changes: number } | null = null;
    pts.forEach((point, i) => {
      const config = { ...base, ...point } as SwitchConfig;
      try {
        validateSwitchConfig(config);
      } catch {
        return; // e.g. a window shorter than the evidence it must hold
      }
      const { summary } = evaluatePoint(prepared, config);
      const sc = score(summary, anchors);
      history.push({ stage, point, score: sc, summary });
      // On a tie, the point that changes fewer of the shipped defaults wins: a parameter
      // the tuning seeds cannot tell apart is left alone.
      const changes = Object.entries(point).filter(([k, v]) => DEFAULT_SWITCH_CONFIG[k as keyof SwitchConfig] !== v).length;
      if (!best || sc < best.score - 1e-9 || (Math.abs(sc - best.score) <= 1e-9 && changes < best.changes)) {
        best = { point, score: sc, changes };
      }
      if ((i + 1) % 100 === 0 || i + 1 === pts.length) {
        const elapsed = ((Date.now() - t0) / 1000).toFixed(0);
        process.stderr.write(`[stage ${stage}] ${i + 1}/${pts.length} points, ${elapsed} s, best ${best.score.toFixed(3)}\n`);
      }
    });
    const won = best as { point: Record<string, number>; score: number } | null;
    if (!won) throw new Error(`stage ${stage}: no valid point`);
    base = { ...base, ...won.point } as SwitchConfig;
    process.stderr.write(`stage ${stage} winner ${JSON.stringify(won.point)} score ${won.score.toFixed(3)}\n`);
    // Checkpoint after every stage: a long search on a busy machine can be cut short.
    writeFileSync(join(outDir, "grid-search.partial.json"), JSON.stringify({ stage, base }, null, 1));
  };
  // Coordinate descent over the stages: repeat until a whole round changes nothing.
  for (let round = 1; round <= rounds; round++) {
    const before = JSON.stringify(base);
    for (const [name, grid] of stages) runStage(`${round}.${name}`, grid);
    if (JSON.stringify(base) === before) break;
  }
  const final = evaluatePoint(prepared, base);
  const top = [...history].sort((a, b) => a.score - b.score).slice(0, 10);
  console.log("top points (tuning seeds):");
  for (const h of top) console.log(`  ${h.score.toFixed(3)}  stage ${h.stage}  ${JSON.stringify(h.point)}`);
  const changed = Object.fromEntries(
    SWITCH_PARAMETERS.filter((p) => p.kind === "number" && base[p.key as keyof SwitchConfig] !== DEFAULT_SWITCH_CONFIG[p.key as keyof SwitchConfig]).map((p) => [
      p.key,
      { from: DEFAULT_SWITCH_CONFIG[p.key as keyof SwitchConfig], to: base[p.key as keyof SwitchConfig] },
    ]),
  );
  console.log(`winner vs current defaults: ${JSON.stringify(changed)}`);
  console.log(`score ${score(baseline.summary, anchors).toFixed(3)} → ${score(final.summary, anchors).toFixed(3)}`);
  for (const c of checkTargets(final.summary).filter((x) => !x.ok)) {
    console.log(`  still missed on tuning: ${c.metric} = ${c.value === null ? "-" : +c.value.toFixed(3)} (target ${c.target})`);
  }
  for (const c of relativeChecks(final.summary, anchors).filter((x) => !x.ok)) {
    console.log(`  relative bar missed on tuning: ${c.metric} = ${+c.ours.toFixed(3)} vs ${c.anchor} ${+c.value.toFixed(3)}`);
  }
  writeFileSync(
    join(outDir, "grid-search.json"),
    JSON.stringify({ winner: base, changed, anchors, baseline: baseline.summary, final: final.summary, stages: { STAGE1, STAGE2, STAGE3 }, history }, null, 1),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
