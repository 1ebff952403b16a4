/**
 * The lab's policy registry: every row of the table, built per scenario (and per tick
 * phase for anchors that run on their own timer).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { DEFAULT_SWITCH_CONFIG, type SwitchConfig, validateSwitchConfig } from "@/lib/switching/config";
import { createDirector } from "@/lib/switching/index";
import type { SwitchPolicy } from "@/lib/switching/types";
import type { Truth } from "../trace";
import { JanusPolicy } from "./janus";
import { DSI, JitsiDsiPolicy } from "./jitsi-dsi";
import { LIVEKIT_DEFAULTS, LiveKitPolicy } from "./livekit";
import { ALO_DEFAULTS, MediasoupAloPolicy } from "./mediasoup-alo";
import { OraclePolicy } from "./oracle";
import { CSM, WebrtcCsmPolicy } from "./webrtc-csm";

export interface PolicyContext {
  truth: Truth;
  config: SwitchConfig;
}

export interface PolicySpec {
  name: string;
  /** whether the row decides shots (the mixer over our policies): the wide metrics apply */
  shots?: boolean;
  /** the anchor's own timer period; > 0 means results depend on the tick phase */
  tickMs: number;
  /** whether the policy reads LiveKit's ActiveSpeakersChanged hints */
  wantsSpeakerHints: boolean;
  /** whether the policy reads the voice model's `speech` track (model-based rows only) */
  wantsSpeech?: boolean;
  /** whether the policy hears the real director's transport (lab/transport.ts): `-rtc` rows */
  transport?: boolean;
  make(ctx: PolicyContext, phaseMs: number): SwitchPolicy;
}

export const DEFAULT_POLICIES = ["loudest", "evidence", "evidence-levels", "livekit", "jitsi-dsi", "mediasoup-alo", "janus", "webrtc-csm", "oracle+0", "oracle+300"];

/**
 * "evidence@FILE": evidence with config overrides from a JSON file, either a partial SwitchConfig or
 * a grid-search.json (its `winner`), so a candidate config sits in the table beside the
 * shipped defaults without editing lib/switching.
 */
function evidenceWithOverrides(file: string): PolicySpec {
  const raw = JSON.parse(readFileSync(file, "utf8")) as { winner?: Partial<SwitchConfig> } & Partial<SwitchConfig>;
  const overrides = raw.winner ?? raw;
  const config = (base: SwitchConfig): SwitchConfig => validateSwitchConfig({ ...base, ...overrides, policy: "evidence" });
  config(DEFAULT_SWITCH_CONFIG); // fail fast on a bad file
  return { name: `evidence@${basename(file, ".json")}`, shots: true, tickMs: 0, wantsSpeakerHints: true, wantsSpeech: true, make: (ctx) => createDirector(config(ctx.config)) };
}

/** The rows' old names, still accepted on the command line. */
const LAB_ALIASES: Readonly<Record<string, string>> = { ours: "evidence", "ours-levels": "evidence-levels", "ours-rtc": "evidence-rtc", seed: "loudest" };

export function policySpec(given: string): PolicySpec {
  const name = given.startsWith("ours@") ? `evidence@${given.slice(5)}` : (LAB_ALIASES[given] ?? given);
  if (name.startsWith("evidence@")) return evidenceWithOverrides(name.slice(9));
  const oracle = /^oracle\+(\d+)$/.exec(name);
  if (oracle) {
    const d = Number(oracle[1]);
    return { name, tickMs: 0, wantsSpeakerHints: false, make: (ctx) => new OraclePolicy(ctx.truth.floor, d) };
  }
  switch (name) {
    case "loudest":
      return { name, shots: true, tickMs: 0, wantsSpeakerHints: false, make: (ctx) => createDirector({ ...ctx.config, policy: "loudest" }) };
    case "evidence":
      return { name, shots: true, tickMs: 0, wantsSpeakerHints: true, wantsSpeech: true, make: (ctx) => createDirector({ ...ctx.config, policy: "evidence" }) };
    case "evidence-rtc":
      // evidence as the real director runs it: 16 kHz levels from 40 ms frames, plus transport delay.
      return { name, shots: true, tickMs: 0, wantsSpeakerHints: true, wantsSpeech: true, transport: true, make: (ctx) => createDirector({ ...ctx.config, policy: "evidence" }) };
    case "evidence-levels":
      // evidence as a director without the voice model would run it: levels only.
      return { name, shots: true, tickMs: 0, wantsSpeakerHints: true, make: (ctx) => createDirector({ ...ctx.config, policy: "evidence" }) };
    case "livekit":
      return { name, tickMs: LIVEKIT_DEFAULTS.updateIntervalMs, wantsSpeakerHints: false, make: (_c, phase) => new LiveKitPolicy(phase) };
    case "jitsi-dsi":
      return { name, tickMs: DSI.DECISION_INTERVAL_MS, wantsSpeakerHints: false, make: (_c, phase) => new JitsiDsiPolicy(phase) };
    case "mediasoup-alo":
      return { name, tickMs: ALO_DEFAULTS.intervalMs, wantsSpeakerHints: false, make: (_c, phase) => new MediasoupAloPolicy(phase) };
    case "janus":
      return { name, tickMs: 0, wantsSpeakerHints: false, make: () => new JanusPolicy() };
    case "webrtc-csm":
      return { name, tickMs: CSM.POLL_MS, wantsSpeakerHints: false, make: (_c, phase) => new WebrtcCsmPolicy(phase) };
    default:
      throw new Error(`unknown policy "${given}"; known: ${DEFAULT_POLICIES.join(", ")} (oracle+D for any D; the old names ours, ours-levels, ours-rtc, seed still work)`);
  }
}

export { DEFAULT_SWITCH_CONFIG };
