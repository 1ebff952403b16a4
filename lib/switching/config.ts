/**
 * Every tunable of the switch policies in one flat object, so the lab can grid-search
 * `{ ...DEFAULT_SWITCH_CONFIG, dwellMs: 800 }` and the director can take it from the env.
 * Pure: the caller passes `process.env` (lib/env.ts stays the only reader of it).
 */
import { z } from "zod";

/**
 * The policies, named for what they do: `evidence` cuts on voiced time above each
 * talker's own noise floor (and the voice model's say-so), with dwell and margins;
 * `loudest` is the original server.py rule, the loudest reading above a fixed threshold.
 */
export type PolicyName = "evidence" | "loudest";
export const POLICY_NAMES: readonly PolicyName[] = ["evidence", "loudest"];
/** The names they had before, still accepted (SWITCH_POLICY, the lab's --policies). */
export const POLICY_ALIASES: Readonly<Record<string, PolicyName>> = { ours: "evidence", seed: "loudest" };

/** A policy's name, with an old name turned into the new one; anything else unchanged. */
export function canonicalPolicy(name: string): string {
  return POLICY_ALIASES[name] ?? name;
}

/** Nominal spacing of `levels` observations; used for the first frame and as a unit. */
export const NOMINAL_FRAME_MS = 20;

/**
 * Director roles and takes (the vision mixer's admin inputs). Fixed rather than settings:
 * they shape how strongly an admin's choice weighs, not how speech is detected.
 *
 * A `favor` participant needs this share of the speech evidence others need for a cut...
 */
export const FAVOR_EVIDENCE_FACTOR = 0.6;
/**
 * ...and has this many dB in hand against others: a challenger needs this much more
 * margin to take over from them, they need this much less to take over, and they rank
 * this much louder in a free-floor competition.
 */
export const FAVOR_MARGIN_DB = 4;
/**
 * A take holds the program at least this long (or the dwell, if longer) before the policy
 * cuts by itself again: a take that the current talker undoes after a dwell of 700 ms would
 * hardly be seen. Leaves, mutes and pins still move on at once.
 */
export const TAKE_HOLD_MS = 2000;

export interface SwitchConfig {
  /** Which policy createPolicy() builds. */
  policy: PolicyName;

  // --- loudest: the original server.py rule ----------------------------------------
  /** RMS of int16 PCM a reading must exceed to count (server.py AUDIO_THRESHOLD). */
  audioThreshold: number;
  /** How fresh, in seconds, an above-threshold reading must be (server.py TIME_WINDOW). */
  timeWindowS: number;

  // --- evidence -----------------------------------------------------------------------
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

  // --- evidence with the voice model (LevelsObservation.speech) ------------------------
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
  /** A model-confirmed interrupter who has talked this long over the still-talking holder takes over (0 = off). */
  overlapTakeoverMs: number;
  /** ...if their peak level is at most this many dB below the holder's (side talk is quieter). */
  overlapMarginDb: number;
  /** Where the model judges, a cut also needs the talk's level to have risen this much within it (0 = off). */
  minTalkDepthDb: number;
  /** A silence this long inside a talk makes it "pulsed" (laughter: voiced bursts with gaps; 0 = off). */
  pulseGapMs: number;
  /** ...where a silence is a frame this many dB under the talk's level. */
  pulseDepthDb: number;
  /** ...and a pulsed talk needs one unbroken voiced run this long before the model's verdict cuts. */
  pulsedRunMs: number;

  // --- the mixer's wide shot (both policies; lib/switching/mixer.ts) -----------------
  /** Free floor (nobody talking) this long goes to a wide shot (0 = never). */
  wideAfterMs: number;
  /** Two or more talkers at once this long goes to a wide shot (0 = never). */
  crosstalkMs: number;
  /** This many cuts within the ping-pong window go to a wide shot (0 = never). */
  pingPongCuts: number;
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
    default: "evidence",
    values: POLICY_NAMES,
    unit: "",
    policy: "both",
    meaning: "switch policy: evidence (voiced time above each talker's own noise floor, confirmed by the voice model) or loudest (server.py's rule: the loudest reading above AUDIO_THRESHOLD); the old names ours and seed still work",
  },
  {
    kind: "number",
    key: "audioThreshold",
    env: "AUDIO_THRESHOLD",
    default: 500,
    min: 1,
    max: 32767,
    unit: "int16 RMS",
    policy: "loudest",
    meaning: "loudest: RMS a reading must exceed to count (500 ≈ -36 dBFS)",
  },
  {
    kind: "number",
    key: "timeWindowS",
    env: "TIME_WINDOW",
    default: 1.0,
    min: 0.02,
    max: 60,
    unit: "s",
    policy: "loudest",
    meaning: "loudest: how fresh an above-threshold reading must be to count",
  },
  {
    kind: "number",
    key: "minSpeechMs",
    env: "SWITCH_MIN_SPEECH_MS",
    default: 240,
    min: 20,
    max: 3000,
    unit: "ms",
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
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
    policy: "evidence",
    meaning: "the model must call at least this share of the loud (voiced) time in the speech window speech: a voice is speech throughout, music or a knock only in moments",
  },
  {
    kind: "number",
    key: "overlapTakeoverMs",
    env: "SWITCH_OVERLAP_TAKEOVER_MS",
    default: 700,
    min: 0,
    max: 10000,
    unit: "ms",
    policy: "evidence",
    meaning: "an interrupter the voice model confirms, who started after the holder and has kept talking over them this long (pauses up to SWITCH_HOLD_HANG_MS), takes over without out-shouting them (a backchannel is shorter; 0 = off, as without the model)",
  },
  {
    kind: "number",
    key: "overlapMarginDb",
    env: "SWITCH_OVERLAP_MARGIN_DB",
    default: 2,
    min: 0,
    max: 40,
    unit: "dB",
    policy: "evidence",
    meaning: "...as long as they talk no more than this many dB quieter than the holder (each one's talk level: absolute peak over voiced frames, slow release; side talk and crosstalk are quieter)",
  },
  {
    kind: "number",
    key: "minTalkDepthDb",
    env: "SWITCH_MIN_TALK_DEPTH_DB",
    default: 12,
    min: 0,
    max: 60,
    unit: "dB",
    policy: "evidence",
    meaning: "where the voice model judges, a speech or takeover cut also needs the challenger's level to have risen this much from a quieter moment of their talk (its first frame, a consonant, a dip): a voice rises into its next syllable; a held note or a chord does not, nor a laugh's first burst, which only decays after its peak (0 = off)",
  },
  {
    kind: "number",
    key: "pulseGapMs",
    env: "SWITCH_PULSE_GAP_MS",
    default: 60,
    min: 0,
    max: 400,
    unit: "ms",
    policy: "evidence",
    meaning: "a silence at least this long between voiced frames of one talk makes it pulsed, as laughter is (voiced 'ha' bursts of at most ~180 ms with gaps between); speech glides through its consonants with shorter dips (0 = off)",
  },
  {
    kind: "number",
    key: "pulseDepthDb",
    env: "SWITCH_PULSE_DEPTH_DB",
    default: 30,
    min: 6,
    max: 90,
    unit: "dB",
    policy: "evidence",
    meaning: "...where a silence is a frame at least this many dB under the talk's level: a laugh breathes between its bursts, while a talker by a fan only dips to the fan's level, a few dB under their voice",
  },
  {
    kind: "number",
    key: "pulsedRunMs",
    env: "SWITCH_PULSED_RUN_MS",
    default: 200,
    min: 20,
    max: 2000,
    unit: "ms",
    policy: "evidence",
    meaning: "where the voice model judges, a pulsed talk cuts only after one voiced run this long since its last gap: a laugh's bursts never get there, a voice that paused on a stop consonant does within a word",
  },
  {
    kind: "number",
    key: "wideAfterMs",
    env: "SWITCH_WIDE_AFTER_MS",
    default: 8000,
    min: 0,
    max: 600000,
    unit: "ms",
    policy: "both",
    meaning: "free floor (nobody talking) this long cuts to a wide shot, a grid of the channel's cameras; the next clear talker cuts back (0 = never)",
  },
  {
    kind: "number",
    key: "crosstalkMs",
    env: "SWITCH_CROSSTALK_MS",
    default: 2000,
    min: 0,
    max: 60000,
    unit: "ms",
    policy: "both",
    meaning: "two or more people talking at once this long cuts to a wide shot until one of them talks alone (0 = never)",
  },
  {
    kind: "number",
    key: "pingPongCuts",
    env: "SWITCH_PINGPONG_CUTS",
    default: 3,
    min: 0,
    max: 20,
    unit: "cuts",
    policy: "both",
    meaning: "this many speaker cuts within 6 s (a rapid exchange) cut to a wide shot until one talker holds the floor alone for 2 s (0 = never)",
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
  if (p.kind === "enum") return z.preprocess((v) => (typeof v === "string" ? canonicalPolicy(v) : v), z.enum(POLICY_NAMES));
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
