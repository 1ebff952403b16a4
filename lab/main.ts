/**
 * The switching lab CLI.
 *
 *   npm run lab -- [--scenarios DIR] [--policies a,b] [--out DIR] [--phases N] [--no-audio]
 *
 * Prints one policy × metric table per split (tuning, held-out), writes results.json and one
 * SVG timeline per scenario into --out (default lab-out/, git-ignored).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_SWITCH_CONFIG } from "@/lib/switching/config";
import { type Generated, evaluateAll, generateAll, needsSpeech, needsTransport, summarize } from "./lab";
import { type RunRecord, percentile } from "./metrics";
import { REAL_POLICY, type RealRun, replayable, runReal, startRealStack } from "./real";
import { checkTargets, compareWithAnchors } from "./metrics";
import { DEFAULT_POLICIES, policySpec } from "./policies/index";
import { loadScenarioDir } from "./scenario";
import { timelineSvg } from "./svg";
import { formatKindTable, formatTable } from "./table";

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenarios: { type: "string", default: join(__dirname, "scenarios") },
      policies: { type: "string", default: DEFAULT_POLICIES.join(",") },
      out: { type: "string", default: "lab-out" },
      phases: { type: "string", default: "10" },
      "no-audio": { type: "boolean", default: false },
      "no-svg": { type: "boolean", default: false },
      real: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npm run lab -- [--scenarios DIR] [--policies a,b] [--out DIR] [--phases N] [--no-audio] [--no-svg] [--real]");
    console.log("--real: replay the scenarios through livekit-server and the real director, beside the simulated --policies (default evidence-levels,evidence,evidence-rtc; -rtc rows model the director's transport, LAB_TRANSPORT_MS)");
    console.log(`policies: ${DEFAULT_POLICIES.join(", ")}; oracle+D for any delay D in ms; evidence@FILE.json for evidence with config overrides; the old names ours, ours-levels, ours-rtc, seed still work`);
    return;
  }
  const policiesArg = values.real && !process.argv.some((a) => a.startsWith("--policies")) ? "evidence-levels,evidence,evidence-rtc" : values.policies;
  const requested = policiesArg.split(",").map((p) => p.trim()).filter(Boolean);
  // Fail fast on a typo, before minutes of generation; rows are named by their spec.
  const policies = requested.map((p) => policySpec(p).name);
  const phases = Number(values.phases);
  if (!Number.isInteger(phases) || phases < 1) throw new Error("--phases must be a positive integer");
  const outDir = resolve(values.out);
  mkdirSync(outDir, { recursive: true });

  const t0 = Date.now();
  const loaded = loadScenarioDir(values.scenarios);
  log(`loaded ${loaded.length} scenarios from ${resolve(values.scenarios)}`);
  let fresh = 0;
  const gens = await generateAll(loaded, {
    writeAudio: !values["no-audio"] || needsSpeech(requested),
    speech: needsSpeech(requested),
    transport: needsTransport(requested),
    onProgress: (i, n, g, ms) => {
      if (!g.cached) fresh++;
      log(`[gen ${String(i).padStart(3)}/${n}] ${g.name} ${g.cached ? "(cached)" : `${ms} ms`} ${g.hash.slice(0, 12)}`);
    },
  });
  const genMs = Date.now() - t0;
  log(`generation: ${(genMs / 1000).toFixed(1)} s (${fresh} generated, ${loaded.length - fresh} cached)`);

  if (values.real) {
    await realMode(gens, requested, policies, outDir);
    return;
  }

  const t1 = Date.now();
  const { records, runs } = evaluateAll(gens, requested, DEFAULT_SWITCH_CONFIG, phases, (i, n, name) => {
    if (i % 10 === 0 || i === n) log(`[run ${String(i).padStart(3)}/${n}] ${name}`);
  });
  const runMs = Date.now() - t1;
  log(`policy runs: ${(runMs / 1000).toFixed(1)} s (${records.length} runs)`);

  const splits = { tuning: summarize(records, policies, "tuning"), heldout: summarize(records, policies, "heldout") };
  const counts = (split: string): number => loaded.filter((l) => l.scenario.split === split).length;
  console.log(formatTable(`Held-out seeds (${counts("heldout")} scenarios)`, splits.heldout));
  console.log();
  console.log(formatTable(`Tuning seeds (${counts("tuning")} scenarios)`, splits.tuning));
  console.log();
  console.log(formatKindTable("False switches per sound family, held-out seeds (in silence / during speech)", splits.heldout));
  console.log();
  console.log(formatKindTable("False switches per sound family, tuning seeds (in silence / during speech)", splits.tuning));
  console.log();
  console.log("Latencies in ms (p50/p90; free floor = gap > 300 ms, quick = 0-300 ms, ovl = overlapping onset). fs = false");
  console.log("switch rate on transients (quiet: click/keyboard/door/clap in silence). Periodic anchors: pooled over");
  console.log(`${phases} tick phases; 'missed' and 'flaps!S4' are per run.`);

  const targets: Record<string, ReturnType<typeof checkTargets>> = {};
  for (const [split, rows] of Object.entries(splits)) {
    const ours = rows.find((r) => r.policy === "evidence");
    if (!ours) continue;
    targets[split] = checkTargets(ours);
    const misses = targets[split].filter((c) => !c.ok);
    console.log();
    console.log(`"evidence" on ${split}: ${misses.length === 0 ? "meets every target" : `misses ${misses.length} target(s)`}`);
    for (const m of misses) console.log(`  - ${m.metric}: ${m.value === null ? "-" : +m.value.toFixed(3)} (target ${m.target}, off by ${+m.miss.toFixed(3)})`);
    for (const line of compareWithAnchors(rows)) console.log(`  ${line}`);
  }

  if (!values["no-svg"]) {
    const svgDir = join(outDir, "timelines");
    mkdirSync(svgDir, { recursive: true });
    for (const { gen } of gens) {
      const run = runs.get(gen.name);
      if (run) writeFileSync(join(svgDir, `${gen.name}.svg`), timelineSvg(gen.truth, gen.trace, run.cuts));
    }
  }
  const results = {
    generatedAt: new Date().toISOString(),
    scenarios: gens.map(({ loaded: l, gen }) => ({ name: gen.name, file: l.file, split: l.scenario.split, family: l.scenario.family, hash: gen.hash, dir: gen.dir })),
    policies,
    phases,
    config: DEFAULT_SWITCH_CONFIG,
    timing: { generationMs: genMs, runMs },
    summary: splits,
    targets,
    records: records.map(({ turns, sfx, backchannels, coloc, ...rest }) => ({ ...rest, turns, sfx, backchannels, coloc })),
  };
  writeFileSync(join(outDir, "results.json"), JSON.stringify(results, null, 1));
  log(`wrote ${join(outDir, "results.json")}${values["no-svg"] ? "" : ` and ${gens.length} timelines in ${join(outDir, "timelines")}`}`);
}

/** Simulated and real side by side for the same scenarios (lab/real.ts). */
async function realMode(gens: Generated[], requested: string[], policies: string[], outDir: string): Promise<void> {
  const skipped = gens.map((g) => [g, replayable(g)] as const).filter(([, why]) => why !== null);
  for (const [g, why] of skipped) log(`skip ${g.gen.name}: ${why}`);
  const chosen = gens.filter((g) => replayable(g) === null);
  if (chosen.length === 0) throw new Error("no replayable scenarios");
  const sim = evaluateAll(chosen, requested, DEFAULT_SWITCH_CONFIG, 1);
  const stack = await startRealStack(join(outDir, "real-logs"));
  const real: RealRun[] = [];
  try {
    for (const [i, g] of chosen.entries()) {
      const room = `channel-${1 + (i % 20)}`;
      const t0 = Date.now();
      const r = await runReal(stack, g, room);
      real.push(r);
      log(`[real ${i + 1}/${chosen.length}] ${g.gen.name} in ${room}: ${r.cuts.length} cuts, bots aligned within ${r.startSpreadMs.toFixed(0)} ms, transport ${r.transportMs ?? "-"} ms over ${r.transportOnsets} onsets (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await stack.stop();
  }
  const records = [...sim.records, ...real.map((r) => r.record)];
  const rows = [...policies, REAL_POLICY];
  const splits = [...new Set(chosen.map((g) => g.loaded.scenario.split))];
  for (const split of splits) {
    const n = chosen.filter((g) => g.loaded.scenario.split === split).length;
    console.log(formatTable(`Simulated vs real, ${split} seeds (${n} scenarios)`, summarize(records, rows, split)));
    console.log();
  }
  console.log(formatKindTable("False switches per sound family, simulated vs real (in silence / during speech)", summarize(records, rows)));
  console.log();
  // Per scenario and simulated row: p50, the median latency difference real − simulated on
  // the same turns, and the false cuts of each.
  const lat = (rec: RunRecord): number[] => rec.turns.filter((t) => t.latencyMs !== null).map((t) => t.latencyMs as number);
  const f = (v: number | null): string => (v === null ? "-" : String(Math.round(v)));
  console.log(`| scenario | turns | real p50 | false cuts real | transport (measured) | ${policies.map((p) => `${p} p50 | real − ${p} per turn (median) | false cuts ${p}`).join(" | ")} |`);
  console.log(`|---|---:|---:|---:|---:|${policies.map(() => "---:|---:|---:").join("|")}|`);
  const allDiffs = new Map<string, number[]>(policies.map((p) => [p, []]));
  const residual: number[] = [];
  for (const r of real) {
    const cells: string[] = [];
    for (const p of policies) {
      const simRec = sim.records.find((x) => x.scenario === r.record.scenario && x.policy === p);
      if (!simRec) {
        cells.push("- | - | -");
        continue;
      }
      const diffs = r.record.turns.flatMap((t, k) => {
        const st = simRec.turns[k];
        return t.latencyMs !== null && st?.latencyMs !== null && st?.latencyMs !== undefined ? [t.latencyMs - st.latencyMs] : [];
      });
      allDiffs.get(p)?.push(...diffs);
      cells.push(`${f(percentile(lat(simRec), 50))} | ${f(percentile(diffs, 50))} | ${falseCuts(simRec)}`);
    }
    console.log(`| ${r.record.scenario} | ${r.record.turns.length} | ${f(percentile(lat(r.record), 50))} | ${falseCuts(r.record)} | ${f(r.transportMs)} | ${cells.join(" | ")} |`);
    // What transport does not explain: the director hears a level the measured transport
    // later, plus one 20 ms frame (two levels per 40 ms frame, one per tick) on average.
    const simRec = sim.records.find((x) => x.scenario === r.record.scenario && x.policy === "evidence");
    if (simRec && r.transportMs !== null) {
      const transport = r.transportMs;
      for (const [k, t] of r.record.turns.entries()) {
        const st = simRec.turns[k];
        if (t.latencyMs !== null && st?.latencyMs !== null && st?.latencyMs !== undefined) residual.push(t.latencyMs - st.latencyMs - (transport + 20));
      }
    }
  }
  console.log(`real − evidence − (measured transport + 20 ms), every turn: median ${f(percentile(residual, 50))} ms, p10 ${f(percentile(residual, 10))}, p90 ${f(percentile(residual, 90))} (${residual.length} turns)`);
  for (const [p, d] of allDiffs) console.log(`real − ${p}, every turn: median ${f(percentile(d, 50))} ms, p10 ${f(percentile(d, 10))}, p90 ${f(percentile(d, 90))} (${d.length} turns)`);
  writeFileSync(join(outDir, "real.json"), JSON.stringify({ generatedAt: new Date().toISOString(), sim: sim.records, real: real.map((r) => ({ ...r.record, cuts: r.cuts, startSpreadMs: r.startSpreadMs })) }, null, 1));
  log(`wrote ${join(outDir, "real.json")}`);
}

/** Cuts blamed on a sound effect or a backchannel, plus flaps: every switch that should not have happened. */
function falseCuts(r: RunRecord): number {
  return r.sfx.filter((x) => x.switched).length + r.backchannels.filter((x) => x.switched).length + r.flaps;
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
