/**
 * Every tunable of the switch policies in one flat object, so the lab can grid-search
 * `{ ...DEFAULT_SWITCH_CONFIG, dwellMs: 800 }` and the director can take it from the env.
 * Pure: the caller passes `process.env` (lib/env.ts stays the only reader of it).
 */
import { z } from "zod";

export type PolicyName = "ours" | "seed";
export const POLICY_NAMES: readonly PolicyName[] = ["ours", "seed"];

/** Nominal spacing of `levels` observations; used for the first frame and as a unit. */
export const NOMINAL_FRAME_MS = 20;

export interface SwitchConfig {
  /** Which policy createPolicy() builds. */
  policy: PolicyName;

  // --- seed: the original server.py rule -------------------------------------------
  /** RMS of int16 PCM a reading must exceed to count (server.py AUDIO_THRESHOLD). */
  audioThreshold: number;
  /** How fresh, in seconds, an above-threshold reading must be (server.py TIME_WINDOW). */
  timeWindowS: number;

  // --- ours ---------------------------------------------------------------------------
  /** Voiced milliseconds, within speechWindowMs, that make someone a speaker. */
  minSpeechMs: number;
  /** Sliding window over which voiced frames are counted (tolerates syllable dips). */
  speechWindowMs: number;
  /** A frame is voiced when its level is at least this far above the talker's own floor. */
  voicedAboveFloorDb: number;
  /** Absolute gate: a frame quieter than this dBov never counts, whatever the floor. */
  absoluteGateDbov: number;
  /** How fast the noise floor may creep up under sustained sound. */
  floorRiseDbPerS: number;
  /** Time constant with which the floor follows the level down. */
  floorFallMs: number;
  /** If the level stayed above the floor, and steady, this long, the floor jumps up (0 = off). */
  floorWindowMs: number;
  /** "Steady" for floorWindowMs: the level's max − min over the window. */
  floorSteadyDb: number;
  /** Release time constant of the peak-following "dB above floor" activity. */
  activityTauMs: number;
  /** The holder keeps the floor for this long after their last voiced frame. */
  holdHangMs: number;
  /** Unvoiced gaps up to this long are dips inside a talk spurt, not its end. */
  dipToleranceMs: number;
  /** A free floor this soon after the holder's last voiced frame counts as a handover... */
  handoverWindowMs: number;
  /** ...and the challenger's talk spurt must have lasted this long (rejects backchannels). */
  handoverMinSpurtMs: number;
  /** While the holder talks, a challenger must be this many dB louder (above own floor). */
  takeoverMarginDb: number;
  /** ...for this long, counted once the challenger is a speaker. */
  takeoverMs: number;
  /** Minimum time on program before a speech/takeover switch (pin, leave, mute bypass it). */
  dwellMs: number;
  /** Spread of the level difference to the holder below which a phone is co-located. */
  colocatedSpreadDb: number;
  /** Smaller margin that lets the nearest of two co-located phones take over. */
  colocatedMarginDb: number;
  /** Time constant of the level-difference measure behind co-location. */
  colocatedWindowMs: number;
  /** Multiplier on minSpeechMs for a participant LiveKit also lists as an active speaker. */
  speakerHintFactor: number;
  /** Voiced ms of a talk spurt that sustained or swelled (not decaying) before a speech/takeover switch (0 = off). */
  minSustainMs: number;
  /** A talk spurt this long switches even without syllabic modulation (one long vowel). */
  syllableBypassMs: number;
  /** Shared-voice frames after which two candidates count as co-located in a free-floor competition. */
  colocatedMinMs: number;

  // --- ours with the voice model (LevelsObservation.speech) ----------------------------
  /** A model window at or above this probability counts as speech. */
  speechProbThreshold: number;
  /** Model-confirmed speech ms within speechWindowMs a cut needs, where the model ran. */
  modelMinVoiceMs: number;
  /** Level evidence (voiced ms) that replaces minSpeechMs once the model confirms speech. */
  modelMinSpeechMs: number;
  /** handoverMinSpurtMs once the model confirms speech. */
  modelHandoverMinSpurtMs: number;
  /** Share of the level-voiced time in the window that the model must call speech. */
  modelCoverage: number;
}

export type NumericConfigKey = Exclude<keyof SwitchConfig, "policy">;

export interface NumericParameter {
  kind: "number";
  key: NumericConfigKey;
  env: string;
  default: number;
  min: number;
  max: number;
  unit: string;
  /** Which policy reads it. */
  policy: PolicyName | "both";
  meaning: string;
}

export interface EnumParameter {
  kind: "enum";
  key: "policy";
  env: string;
  default: PolicyName;
  values: readonly PolicyName[];
  unit: "";
  policy: PolicyName | "both";
  meaning: string;
}

export type SwitchParameter = NumericParameter | EnumParameter;

/**
 * The one description of every setting: env name, default, range, unit and meaning.
 * DEFAULT_SWITCH_CONFIG, the zod schemas, the README table and /debug all derive from it.
 */
export const SWITCH_PARAMETERS: readonly SwitchParameter[] = [
  {
    kind: "enum",
    key: "policy",
    env: "SWITCH_POLICY",
    default: "ours",
    values: POLICY_NAMES,
    unit: "",
    policy: "both",
    meaning: "switch policy: ours (noise-floor relative, evidence based) or seed (server.py's rule)",
  },
  {
    kind: "number",
    key: "audioThreshold",
    env: "AUDIO_THRESHOLD",
    default: 500,
    min: 1,
    max: 32767,
    unit: "int16 RMS",
    policy: "seed",
    meaning: "seed: RMS a reading must exceed to count (500 ≈ -36 dBFS)",
  },
  {
    kind: "number",
    key: "timeWindowS",
    env: "TIME_WINDOW",
    default: 1.0,
    min: 0.02,
    max: 60,
    unit: "s",
    policy: "seed",
    meaning: "seed: how fresh an above-threshold reading must be to count",
  },
  {
    kind: "number",
    key: "minSpeechMs",
    env: "SWITCH_MIN_SPEECH_MS",
    default: 240,
    min: 20,
    max: 3000,
    unit: "ms",
    policy: "ours",
    meaning: "voiced time within the speech window that makes someone a speaker (rejects clicks, coughs, doors)",
  },
  {
    kind: "number",
    key: "speechWindowMs",
    env: "SWITCH_SPEECH_WINDOW_MS",
    default: 500,
    min: 40,
    max: 5000,
    unit: "ms",
    policy: "ours",
    meaning: "sliding window in which voiced frames are counted, so dips inside syllables do not reset the count",
  },
  {
    kind: "number",
    key: "voicedAboveFloorDb",
    env: "SWITCH_VOICED_ABOVE_FLOOR_DB",
    default: 12,
    min: 1,
    max: 60,
    unit: "dB",
    policy: "ours",
    meaning: "a frame is voiced when it is this far above the participant's own noise floor",
  },
  {
    kind: "number",
    key: "absoluteGateDbov",
    env: "SWITCH_ABSOLUTE_GATE_DBOV",
    default: 70,
    min: 0,
    max: 126,
    unit: "dBov",
    policy: "ours",
    meaning: "frames quieter than this never count, whatever the floor (digital silence, hiss)",
  },
  {
    kind: "number",
    key: "floorRiseDbPerS",
    env: "SWITCH_FLOOR_RISE_DB_PER_S",
    default: 1.5,
    min: 0,
    max: 100,
    unit: "dB/s",
    policy: "ours",
    meaning: "how fast the noise floor creeps up under sustained sound (slow, so speech is not absorbed)",
  },
  {
    kind: "number",
    key: "floorFallMs",
    env: "SWITCH_FLOOR_FALL_MS",
    default: 60,
    min: 0,
    max: 10000,
    unit: "ms",
    policy: "ours",
    meaning: "time constant with which the floor follows the level down (fast: pauses reveal the floor)",
  },
  {
    kind: "number",
    key: "floorWindowMs",
    env: "SWITCH_FLOOR_WINDOW_MS",
    default: 4000,
    min: 0,
    max: 120000,
    unit: "ms",
    policy: "ours",
    meaning: "if the level stayed above the floor, and steady, this long (a fan switched on), the floor jumps to the window's minimum; 0 = off",
  },
  {
    kind: "number",
    key: "floorSteadyDb",
    env: "SWITCH_FLOOR_STEADY_DB",
    default: 6,
    min: 0,
    max: 127,
    unit: "dB",
    policy: "ours",
    meaning: "the floor window only applies if the level stayed within this range (noise is steady, speech swings)",
  },
  {
    kind: "number",
    key: "activityTauMs",
    env: "SWITCH_ACTIVITY_TAU_MS",
    default: 300,
    min: 0,
    max: 5000,
    unit: "ms",
    policy: "ours",
    meaning: "release time of the peak-following dB-above-floor activity used to rank and compare talkers",
  },
  {
    kind: "number",
    key: "holdHangMs",
    env: "SWITCH_HOLD_HANG_MS",
    default: 400,
    min: 0,
    max: 10000,
    unit: "ms",
    policy: "ours",
    meaning: "the holder keeps the floor this long after their last voiced frame; after that the floor is free",
  },
  {
    kind: "number",
    key: "dipToleranceMs",
    env: "SWITCH_DIP_TOLERANCE_MS",
    default: 150,
    min: 0,
    max: 2000,
    unit: "ms",
    policy: "ours",
    meaning: "unvoiced gaps up to this long are dips between syllables, not the end of a talk spurt",
  },
  {
    kind: "number",
    key: "handoverWindowMs",
    env: "SWITCH_HANDOVER_WINDOW_MS",
    default: 1000,
    min: 0,
    max: 60000,
    unit: "ms",
    policy: "ours",
    meaning: "a free floor this soon after the holder last spoke is a handover and needs SWITCH_HANDOVER_MIN_SPURT_MS",
  },
  {
    kind: "number",
    key: "handoverMinSpurtMs",
    env: "SWITCH_HANDOVER_MIN_SPURT_MS",
    default: 400,
    min: 0,
    max: 10000,
    unit: "ms",
    policy: "ours",
    meaning: "on a handover the challenger's talk spurt must have lasted this long, so a backchannel in the holder's pause does not switch",
  },
  {
    kind: "number",
    key: "takeoverMarginDb",
    env: "SWITCH_TAKEOVER_MARGIN_DB",
    default: 6,
    min: 0,
    max: 60,
    unit: "dB",
    policy: "ours",
    meaning: "while the holder talks, a challenger must be this much louder above its own floor",
  },
  {
    kind: "number",
    key: "takeoverMs",
    env: "SWITCH_TAKEOVER_MS",
    default: 450,
    min: 0,
    max: 10000,
    unit: "ms",
    policy: "ours",
    meaning: "how long the takeover margin must hold, counted once the challenger is a speaker (backchannels are shorter)",
  },
  {
    kind: "number",
    key: "dwellMs",
    env: "SWITCH_DWELL_MS",
    default: 700,
    min: 0,
    max: 60000,
    unit: "ms",
    policy: "ours",
    meaning: "minimum time on program before a speech or takeover switch (pin, leave and mute bypass it)",
  },
  {
    kind: "number",
    key: "colocatedSpreadDb",
    env: "SWITCH_COLOCATED_SPREAD_DB",
    default: 3,
    min: 0,
    max: 30,
    unit: "dB",
    policy: "ours",
    meaning: "if a phone's level follows the holder's (or the loudest talker's) within this spread, both phones hear one voice (co-located) and compare by absolute level; 0 = off",
  },
  {
    kind: "number",
    key: "colocatedMarginDb",
    env: "SWITCH_COLOCATED_MARGIN_DB",
    default: 2,
    min: 0,
    max: 60,
    unit: "dB",
    policy: "ours",
    meaning: "margin by which the nearer of two co-located phones takes over from the farther",
  },
  {
    kind: "number",
    key: "colocatedWindowMs",
    env: "SWITCH_COLOCATED_WINDOW_MS",
    default: 600,
    min: 20,
    max: 30000,
    unit: "ms",
    policy: "ours",
    meaning: "time constant of the level-difference measure behind co-location",
  },
  {
    kind: "number",
    key: "speakerHintFactor",
    env: "SWITCH_SPEAKER_HINT_FACTOR",
    default: 0.85,
    min: 0.25,
    max: 1,
    unit: "×",
    policy: "ours",
    meaning: "multiplier on SWITCH_MIN_SPEECH_MS for someone LiveKit also lists as an active speaker (1 = ignore the hint)",
  },
  {
    kind: "number",
    key: "minSustainMs",
    env: "SWITCH_MIN_SUSTAIN_MS",
    default: 100,
    min: 0,
    max: 3000,
    unit: "ms",
    policy: "ours",
    meaning: "voiced time of a talk spurt that held or swelled (not a frame-by-frame decay) needed before a speech or takeover switch: speech sustains its vowels, a cough, door or clap attacks once and decays (0 = off)",
  },
  {
    kind: "number",
    key: "syllableBypassMs",
    env: "SWITCH_SYLLABLE_BYPASS_MS",
    default: 600,
    min: 0,
    max: 10000,
    unit: "ms",
    policy: "ours",
    meaning: "a talk spurt this long counts as speech even without syllabic rises (a turn that opens on one long vowel); longer than any cough",
  },
  {
    kind: "number",
    key: "colocatedMinMs",
    env: "SWITCH_COLOCATED_MIN_MS",
    default: 160,
    min: 20,
    max: 5000,
    unit: "ms",
    policy: "ours",
    meaning: "frames of one shared voice after which the free-floor competition ranks two phones by absolute level (nearest phone wins) instead of dB above their own floors",
  },
  {
    kind: "number",
    key: "speechProbThreshold",
    env: "SWITCH_SPEECH_PROB",
    default: 0.5,
    min: 0.05,
    max: 0.99,
    unit: "0..1",
    policy: "ours",
    meaning: "voice model (director input stage): a 32 ms window at or above this speech probability counts as speech",
  },
  {
    kind: "number",
    key: "modelMinVoiceMs",
    env: "SWITCH_MODEL_MIN_VOICE_MS",
    default: 80,
    min: 0,
    max: 3000,
    unit: "ms",
    policy: "ours",
    meaning: "where the voice model ran for a participant, a speech or takeover cut to them needs this much model-confirmed speech within the speech window (a chair, a sneeze, a door score low); where it did not run, the level rules alone decide",
  },
  {
    kind: "number",
    key: "modelMinSpeechMs",
    env: "SWITCH_MODEL_MIN_SPEECH_MS",
    default: 100,
    min: 20,
    max: 3000,
    unit: "ms",
    policy: "ours",
    meaning: "voiced time that replaces SWITCH_MIN_SPEECH_MS once the model confirms speech (and the shape test is skipped): a real turn is believed sooner",
  },
  {
    kind: "number",
    key: "modelHandoverMinSpurtMs",
    env: "SWITCH_MODEL_HANDOVER_MIN_SPURT_MS",
    default: 200,
    min: 0,
    max: 10000,
    unit: "ms",
    policy: "ours",
    meaning: "SWITCH_HANDOVER_MIN_SPURT_MS once the model confirms speech (a backchannel is speech too, so this stays a duration rule)",
  },
  {
    kind: "number",
    key: "modelCoverage",
    env: "SWITCH_MODEL_COVERAGE",
    default: 0.7,
    min: 0,
    max: 1,
    unit: "0..1",
    policy: "ours",
    meaning: "the model must call at least this share of the loud (voiced) time in the speech window speech: a voice is speech throughout, music or a knock only in moments",
  },
];

function buildDefaults(): SwitchConfig {
  const out: Record<string, unknown> = {};
  for (const p of SWITCH_PARAMETERS) out[p.key] = p.default;
  return out as unknown as SwitchConfig;
}

export const DEFAULT_SWITCH_CONFIG: Readonly<SwitchConfig> = Object.freeze(buildDefaults());

function rangeText(p: SwitchParameter): string {
  if (p.kind === "enum") return `one of ${p.values.join(", ")}`;
  const unit = p.unit ? ` ${p.unit}` : "";
  return `a number from ${p.min} to ${p.max}${unit}`;
}

function fieldSchema(p: SwitchParameter): z.ZodType {
  if (p.kind === "enum") return z.enum(["ours", "seed"]);
  return z.number().finite().min(p.min).max(p.max);
}

/** Validates a whole config object (e.g. one the lab built); ranges match the env ones. */
export const switchConfigSchema = z
  .object(Object.fromEntries(SWITCH_PARAMETERS.map((p) => [p.key, fieldSchema(p)])))
  .strict()
  .superRefine((c, ctx) => {
    // A window shorter than the evidence it must contain could never fire.
    const minSpeech = c["minSpeechMs"] as number;
    const window = c["speechWindowMs"] as number;
    if (window < minSpeech) {
      ctx.addIssue({
        code: "custom",
        path: ["speechWindowMs"],
        message: `SWITCH_SPEECH_WINDOW_MS (${window}) must be at least SWITCH_MIN_SPEECH_MS (${minSpeech})`,
      });
    }
  });

function paramByKey(key: string): SwitchParameter | undefined {
  return SWITCH_PARAMETERS.find((p) => p.key === key);
}

/** Throws an Error naming the setting and its allowed range if `config` is invalid. */
export function validateSwitchConfig(config: SwitchConfig): SwitchConfig {
  const result = switchConfigSchema.safeParse(config);
  if (result.success) return config;
  const messages = result.error.issues.map((issue) => {
    if (issue.code === "custom") return issue.message;
    const p = paramByKey(String(issue.path[0] ?? ""));
    return p ? `${p.env} (${p.key}) must be ${rangeText(p)}` : issue.message;
  });
  throw new Error(`Invalid switch config: ${messages.join("; ")}`);
}

/**
 * Reads the switch settings from an env-like record. Unset or blank variables take their
 * default; a bad value throws an Error naming the variable and the allowed range, so a
 * wrong setting stops the director at start rather than silently changing behaviour.
 */
export function parseSwitchConfig(env: Readonly<Record<string, string | undefined>>): SwitchConfig {
  const out: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const p of SWITCH_PARAMETERS) {
    const raw = env[p.env]?.trim();
    if (raw === undefined || raw === "") {
      out[p.key] = p.default;
      continue;
    }
    const value: unknown = p.kind === "enum" ? raw.toLowerCase() : Number(raw);
    const parsed = fieldSchema(p).safeParse(value);
    if (parsed.success) out[p.key] = parsed.data;
    else errors.push(`${p.env} must be ${rangeText(p)} (got "${raw}")`);
  }
  if (errors.length > 0) throw new Error(`Invalid switch settings: ${errors.join("; ")}`);
  return validateSwitchConfig(out as unknown as SwitchConfig);
}

/** One row per setting with its current value, for the README table and /debug. */
export interface SwitchSettingRow {
  env: string;
  key: keyof SwitchConfig;
  value: number | string;
  default: number | string;
  unit: string;
  policy: PolicyName | "both";
  meaning: string;
}

export function describeSwitchConfig(config: SwitchConfig): SwitchSettingRow[] {
  return SWITCH_PARAMETERS.map((p) => ({
    env: p.env,
    key: p.key,
    value: config[p.key],
    default: p.default,
    unit: p.unit,
    policy: p.policy,
    meaning: p.meaning,
  }));
}
