/**
 * The lab as a library: load → generate (cached) → run → aggregate. main.ts and
 * grid-search.ts are thin drivers around these.
 */
import { dirname } from "node:path";
import type { SwitchConfig } from "@/lib/switching/config";
import { type GeneratedScenario, generateScenario } from "./generate";
import { type RunRecord, type Summary, aggregate } from "./metrics";
import { type PolicySpec, policySpec } from "./policies/index";
import { type ScenarioRun, runScenario } from "./run";
import { type LoadedScenario, familyOf } from "./scenario";
import { type SpeechTrack, speechTrack } from "./speech-track";
import { type TransportTrack, transportTrack } from "./transport";
import { TtsPool } from "./tts";

/** Whether any of these policies hears the real director's transport (lab/transport.ts). */
export function needsTransport(policies: readonly string[]): boolean {
  return policies.some((p) => policySpec(p).transport === true);
}

/** Whether any of these policies reads the voice model's track. */
export function needsSpeech(policies: readonly string[]): boolean {
  return policies.some((p) => policySpec(p).wantsSpeech === true);
}

export interface Generated {
  loaded: LoadedScenario;
  gen: GeneratedScenario;
  /** the voice model's track, when a model-based policy is in the run */
  speech?: SpeechTrack;
  /** the director's transport as modelled, when an `-rtc` row is in the run */
  transport?: TransportTrack;
}

export async function generateAll(
  loaded: readonly LoadedScenario[],
  opts: { cacheDir?: string; writeAudio?: boolean; speech?: boolean; transport?: boolean; onProgress?: (i: number, n: number, g: GeneratedScenario, ms: number) => void },
): Promise<Generated[]> {
  const pool = new TtsPool(2);
  const out: Generated[] = [];
  for (const [i, l] of loaded.entries()) {
    const t0 = Date.now();
    const gen = await generateScenario(l.scenario, { cacheDir: opts.cacheDir, writeAudio: opts.writeAudio, pool, baseDir: dirname(l.file) });
    const speech = opts.speech ? (await speechTrack(gen)).track : undefined;
    const transport = opts.transport ? await transportTrack(gen) : undefined;
    opts.onProgress?.(i + 1, loaded.length, gen, Date.now() - t0);
    out.push({ loaded: l, gen, speech, transport });
  }
  return out;
}

export interface EvaluateAllResult {
  records: RunRecord[];
  runs: Map<string, ScenarioRun>;
}

export function evaluateAll(
  gens: readonly Generated[],
  policies: readonly string[],
  config: SwitchConfig,
  phases: number,
  onProgress?: (i: number, n: number, name: string) => void,
): EvaluateAllResult {
  const specs: PolicySpec[] = policies.map(policySpec);
  const records: RunRecord[] = [];
  const runs = new Map<string, ScenarioRun>();
  gens.forEach(({ loaded, gen, speech, transport }, i) => {
    const s = loaded.scenario;
    const run = runScenario(gen, specs, { config, phases, split: s.split, family: familyOf(s), seed: s.seed }, speech, transport);
    records.push(...run.records);
    runs.set(gen.name, run);
    onProgress?.(i + 1, gens.length, gen.name);
  });
  return { records, runs };
}

export function summarize(records: readonly RunRecord[], policies: readonly string[], split?: string): Summary[] {
  return policies.map((p) => aggregate(p, records.filter((r) => r.policy === p && (split === undefined || r.split === split))));
}
