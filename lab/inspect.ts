/**
 * One scenario, cut by cut: the floor, utterances, effects and session events, then each
 * policy's cuts. For reading why a metric came out the way it did.
 *
 *   npx tsx lab/inspect.ts <scenario-name> [policy,policy] [--scenarios DIR]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_SWITCH_CONFIG } from "@/lib/switching/config";
import { generateScenario } from "./generate";
import { evaluate } from "./metrics";
import { policySpec } from "./policies/index";
import { runScenario } from "./run";
import { familyOf, loadScenarioDir } from "./scenario";

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { scenarios: { type: "string", default: join(__dirname, "scenarios") } },
  });
  const [name, policies = "evidence"] = positionals;
  if (!name) throw new Error("usage: npx tsx lab/inspect.ts <scenario-name> [policy,policy]");
  const l = loadScenarioDir(values.scenarios).find((x) => x.scenario.name === name);
  if (!l) throw new Error(`no scenario named ${name} in ${values.scenarios}`);
  const g = await generateScenario(l.scenario, { writeAudio: false });
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  console.log("floor  ", g.truth.floor.map((f) => `${f.who ?? "-"} ${s(f.from)}-${s(f.to)}`).join(" | "));
  console.log("speech ", g.truth.utterances.map((u) => `${u.who}${u.role === "backchannel" ? "(bc)" : ""} ${s(u.onset)}-${s(u.end)}`).join(" | "));
  if (g.truth.sfx.length) console.log("sfx    ", g.truth.sfx.map((u) => `${u.who}:${u.kind} ${s(u.start)}-${s(u.end)}`).join(" | "));
  if (g.truth.actions.length) console.log("events ", g.truth.actions.map((a) => `${a.who}:${a.action} ${s(a.t)}`).join(" | "));
  const specs = policies.split(",").map(policySpec);
  const run = runScenario(g, specs, { config: DEFAULT_SWITCH_CONFIG, phases: 1, split: l.scenario.split, family: familyOf(l.scenario), seed: l.scenario.seed });
  for (const [policy, cuts] of Object.entries(run.cuts)) {
    const r = evaluate(g.truth, cuts, { scenario: name, family: familyOf(l.scenario), split: l.scenario.split, policy, run: 0 });
    console.log(`\n${policy}: time acc ${((100 * r.onHolderMs) / Math.max(1, r.floorMs)).toFixed(1)}%, missed ${r.missed}, flaps ${r.flaps}`);
    console.log("  cuts ", cuts.map((c) => `${c.to ?? "-"}@${s(c.t)}`).join(" "));
    console.log("  lat  ", r.turns.map((t) => `${t.who}@${s(t.onset)}:${t.latencyMs ?? "never"}`).join(" "));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
