/**
 * Runs policies over generated scenarios: trace → observations → decisions → cuts → metrics.
 */
import type { SwitchConfig } from "@/lib/switching/config";
import type { Decision, Observation } from "@/lib/switching/types";
import type { GeneratedScenario } from "./generate";
import { type Cut, type RunRecord, cutsFromDecisions, evaluate, shotsFromDecisions } from "./metrics";
import { LiveKitPolicy } from "./policies/livekit";
import { type PolicySpec } from "./policies/index";
import { rngFor } from "./rng";
import type { SpeechTrack } from "./speech-track";
import { observations } from "./trace";
import { type TransportTrack, transportDelayMs } from "./transport";

export function runPolicy(policy: { observe(o: Observation): Decision | null }, obs: readonly Observation[]): Decision[] {
  const out: Decision[] = [];
  for (const o of obs) {
    const d = policy.observe(o);
    if (d) out.push(d);
  }
  return out;
}

/**
 * LiveKit's ActiveSpeakersChanged as the director would receive it: run LiveKit's detector
 * over the same trace and insert a `speakers` observation whenever its list changes.
 */
export function withSpeakerHints(obs: readonly Observation[]): Observation[] {
  const lk = new LiveKitPolicy(0);
  const out: Observation[] = [];
  let last = "";
  for (const o of obs) {
    lk.observe(o);
    const ids = lk.speakers.map((s) => s.id);
    const key = ids.join(",");
    if (key !== last) {
      out.push({ type: "speakers", t: o.t, ids });
      last = key;
    }
    out.push(o);
  }
  return out;
}

export interface ScenarioRun {
  records: RunRecord[];
  /** the cuts of the first run of each policy, for the timeline */
  cuts: Record<string, Cut[]>;
}

export interface RunOptions {
  config: SwitchConfig;
  phases: number;
  split: string;
  family: string;
  seed: number;
}

export function runScenario(gen: GeneratedScenario, specs: readonly PolicySpec[], opts: RunOptions, speech?: SpeechTrack, transport?: TransportTrack): ScenarioRun {
  const levelsOnly = observations(gen.trace);
  const withSpeech = speech ? observations(gen.trace, speech) : null;
  // The `-rtc` rows: the director's 16 kHz levels and model reads, and its delay (lab/transport.ts).
  const viaTransport = transport ? withSpeakerHints(observations({ ...gen.trace, levels: transport.levels }, transport.speech)) : null;
  const delay = transportDelayMs();
  const hintedMemo = new Map<boolean, Observation[]>();
  const records: RunRecord[] = [];
  const cuts: Record<string, Cut[]> = {};
  for (const spec of specs) {
    if (spec.wantsSpeech && !withSpeech) throw new Error(`${spec.name} needs the speech track of ${gen.name}`);
    if (spec.transport) {
      if (!viaTransport) throw new Error(`${spec.name} needs the transport model of ${gen.name}`);
      const policy = spec.make({ truth: gen.truth, config: opts.config }, 0);
      const decisions = runPolicy(policy, viaTransport);
      const c = cutsFromDecisions(decisions).map((x) => ({ ...x, t: x.t + delay }));
      const shots = spec.shots ? shotsFromDecisions(decisions).map((x) => ({ ...x, t: x.t + delay })) : undefined;
      cuts[spec.name] = c;
      records.push(evaluate(gen.truth, c, { scenario: gen.name, family: opts.family, split: opts.split, policy: spec.name, run: 0 }, shots));
      continue;
    }
    const model = spec.wantsSpeech === true;
    const base = model && withSpeech ? withSpeech : levelsOnly;
    let obs = base;
    if (spec.wantsSpeakerHints) {
      obs = hintedMemo.get(model) ?? withSpeakerHints(base);
      hintedMemo.set(model, obs);
    }
    const rng = rngFor(opts.seed, `phase:${gen.name}:${spec.name}`);
    const runs = spec.tickMs > 0 ? opts.phases : 1;
    for (let run = 0; run < runs; run++) {
      const phase = spec.tickMs > 0 ? Math.floor(rng() * spec.tickMs) : 0;
      const policy = spec.make({ truth: gen.truth, config: opts.config }, phase);
      const decisions = runPolicy(policy, obs);
      const c = cutsFromDecisions(decisions);
      if (run === 0) cuts[spec.name] = c;
      const shots = spec.shots ? shotsFromDecisions(decisions) : undefined;
      records.push(evaluate(gen.truth, c, { scenario: gen.name, family: opts.family, split: opts.split, policy: spec.name, run }, shots));
    }
  }
  return { records, cuts };
}
