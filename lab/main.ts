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
import { evaluateAll, generateAll, needsSpeech, summarize } from "./lab";
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
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npm run lab -- [--scenarios DIR] [--policies a,b] [--out DIR] [--phases N] [--no-audio] [--no-svg]");
    console.log(`policies: ${DEFAULT_POLICIES.join(", ")}; oracle+D for any delay D in ms; ours@FILE.json for ours with config overrides`);
    return;
  }
  const requested = values.policies.split(",").map((p) => p.trim()).filter(Boolean);
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
    onProgress: (i, n, g, ms) => {
      if (!g.cached) fresh++;
      log(`[gen ${String(i).padStart(3)}/${n}] ${g.name} ${g.cached ? "(cached)" : `${ms} ms`} ${g.hash.slice(0, 12)}`);
    },
  });
  const genMs = Date.now() - t0;
  log(`generation: ${(genMs / 1000).toFixed(1)} s (${fresh} generated, ${loaded.length - fresh} cached)`);

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
    const ours = rows.find((r) => r.policy === "ours");
    if (!ours) continue;
    targets[split] = checkTargets(ours);
    const misses = targets[split].filter((c) => !c.ok);
    console.log();
    console.log(`"ours" on ${split}: ${misses.length === 0 ? "meets every target" : `misses ${misses.length} target(s)`}`);
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

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
