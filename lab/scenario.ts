/**
 * Scenario format: YAML files users can write by hand. zod is the single source of truth
 * for what a scenario may say; everything downstream (generator, metrics) trusts the
 * parsed value and never re-validates.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const ID = z.string().regex(/^[A-Za-z0-9_-]+$/, "ids are letters, digits, _ and -");

export const NoiseSchema = z.strictObject({
  type: z.enum(["pink", "white", "brown", "none"]),
  dbfs: z.number().max(0).default(-70),
});

export const ParticipantSchema = z.strictObject({
  id: ID,
  /** espeak-ng voice, e.g. en-us+f3 */
  voice: z.string().regex(/^[A-Za-z0-9_+-]+$/).default("en-us"),
  /** words per minute */
  rate: z.number().int().min(80).max(450).default(170),
  pitch: z.number().int().min(0).max(99).default(50),
  gain_db: z.number().min(-60).max(20).default(0),
  noise: NoiseSchema.default({ type: "pink", dbfs: -70 }),
  /** phones in the same physical room; used by the co-located metric */
  group: z.string().optional(),
  /** true when the participant joins later with an `action: join` event */
  late: z.boolean().default(false),
});

/** The original transients (issue 4). The table's "fs quiet" and "fs cough" columns count these. */
export const CLASSIC_SFX = ["cough", "keyboard", "click", "door", "clap"] as const;
/** The sound families of issue 12 (lab/sfx.ts): several seeded generators each. */
export const NEW_SFX_KINDS = ["sneeze", "chair", "rustle", "drop", "beep", "laughter", "applause", "music", "breathing", "fardoor"] as const;
export const SFX_KINDS = [...CLASSIC_SFX, ...NEW_SFX_KINDS] as const;
export type SfxKind = (typeof SFX_KINDS)[number];

const EventBase = {
  /** seconds; optional when the event is placed relative to the previous turn */
  t: z.number().min(0).optional(),
  who: ID,
  gain_db: z.number().min(-60).max(30).default(0),
  /**
   * Relative placement (wins over `t`): the acoustic onset lands this many ms before the
   * acoustic end of the previous turn's speech. Lets a YAML author write "interrupt 400 ms
   * before bob finishes" without knowing how long espeak takes to say bob's line.
   */
  overlap_ms: z.number().min(0).max(10_000).optional(),
  /** Relative placement: the acoustic onset lands this many ms after the previous turn ends. */
  gap_ms: z.number().min(0).max(30_000).optional(),
  /** Relative placement: this many ms after the acoustic onset of the previous turn. */
  after_onset_ms: z.number().min(0).max(60_000).optional(),
};

export const SayEventSchema = z.strictObject({
  ...EventBase,
  say: z.string().min(1).max(2000),
  role: z.enum(["turn", "backchannel"]).default("turn"),
});
export const SfxEventSchema = z.strictObject({ ...EventBase, sfx: z.enum(SFX_KINDS) });
/**
 * Your own recording as a sound effect: a path relative to the scenario file (any format
 * and rate sox reads; mixed down to mono 48 kHz). `kind` names its family in the per-family
 * false-cut table (default "wav"); the file's bytes are part of the cache key.
 */
export const SfxWavEventSchema = z.strictObject({
  ...EventBase,
  sfx_wav: z.string().min(1).max(500),
  kind: z.string().regex(/^[A-Za-z0-9_-]+$/).default("wav"),
});
export const ActionEventSchema = z.strictObject({
  ...EventBase,
  action: z.enum(["mute", "unmute", "leave", "join"]),
});

export const EventSchema = z
  .union([SayEventSchema, SfxEventSchema, SfxWavEventSchema, ActionEventSchema])
  .refine(
    (e) =>
      e.t !== undefined ||
      e.overlap_ms !== undefined ||
      e.gap_ms !== undefined ||
      e.after_onset_ms !== undefined,
    { message: "an event needs t, overlap_ms, gap_ms or after_onset_ms" },
  );

export const NetworkSchema = z.strictObject({
  jitter_ms: z.number().min(0).max(500).default(0),
  loss: z.number().min(0).max(0.5).default(0),
  dtx: z.boolean().default(false),
});

export const ScenarioSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/),
    description: z.string().optional(),
    /** family tag, e.g. s04; defaults to the name's prefix before the first "-" */
    family: z.string().optional(),
    split: z.enum(["tuning", "heldout"]).default("tuning"),
    seed: z.number().int().min(0),
    duration: z.number().positive().max(600).optional(),
    participants: z.array(ParticipantSchema).min(1).max(16),
    /** leak_db[talker][mic]: the talker's voice reaches that mic at this gain */
    leak_db: z.record(ID, z.record(ID, z.number().max(0))).default({}),
    /** extra delay of a leak path, e.g. a far-end loudspeaker through a network */
    leak_delay_ms: z.record(ID, z.record(ID, z.number().min(0).max(2000))).default({}),
    network: NetworkSchema.default({ jitter_ms: 0, loss: 0, dtx: false }),
    events: z.array(EventSchema).min(1),
  })
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    for (const p of s.participants) {
      if (ids.has(p.id)) ctx.addIssue({ code: "custom", message: `duplicate participant ${p.id}` });
      ids.add(p.id);
    }
    const known = (id: string, where: string): void => {
      if (!ids.has(id)) ctx.addIssue({ code: "custom", message: `${where}: unknown participant ${id}` });
    };
    s.events.forEach((e, i) => known(e.who, `events[${i}]`));
    for (const [from, tos] of Object.entries(s.leak_db)) {
      known(from, "leak_db");
      for (const to of Object.keys(tos)) known(to, "leak_db");
    }
    for (const [from, tos] of Object.entries(s.leak_delay_ms)) {
      known(from, "leak_delay_ms");
      for (const to of Object.keys(tos)) known(to, "leak_delay_ms");
    }
    if (s.events[0] && s.events[0].t === undefined) {
      ctx.addIssue({ code: "custom", message: "the first event needs an absolute t" });
    }
  });

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioEvent = z.infer<typeof EventSchema>;
export type SayEvent = z.infer<typeof SayEventSchema>;
export type SfxEvent = z.infer<typeof SfxEventSchema>;
export type SfxWavEvent = z.infer<typeof SfxWavEventSchema>;
export type ActionEvent = z.infer<typeof ActionEventSchema>;

export function isSay(e: ScenarioEvent): e is SayEvent {
  return "say" in e;
}
export function isSfx(e: ScenarioEvent): e is SfxEvent {
  return "sfx" in e;
}
export function isSfxWav(e: ScenarioEvent): e is SfxWavEvent {
  return "sfx_wav" in e;
}
export function isAction(e: ScenarioEvent): e is ActionEvent {
  return "action" in e;
}

export function familyOf(s: Scenario): string {
  return s.family ?? s.name.split("-")[0] ?? s.name;
}

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "ScenarioError";
  }
}

export function parseScenario(text: string, file = "<inline>"): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ScenarioError(file, `invalid YAML: ${(err as Error).message}`);
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new ScenarioError(file, msg);
  }
  return parsed.data;
}

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

/** Loads every *.yaml / *.yml under `dir` (recursively), sorted by path for stable output. */
export function loadScenarioDir(dir: string): LoadedScenario[] {
  const root = resolve(dir);
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry.name)) files.push(p);
    }
  };
  walk(root);
  files.sort();
  const out = files.map((file) => ({ file, scenario: parseScenario(readFileSync(file, "utf8"), file) }));
  for (const { file, scenario } of out) {
    for (const ev of scenario.events) {
      if (isSfxWav(ev) && !existsSync(resolve(dirname(file), ev.sfx_wav))) {
        throw new ScenarioError(file, `sfx_wav: ${ev.sfx_wav} not found (paths are relative to the scenario file)`);
      }
    }
  }
  const names = new Map<string, string>();
  for (const { file, scenario } of out) {
    const prev = names.get(scenario.name);
    if (prev) throw new ScenarioError(file, `scenario name ${scenario.name} also used by ${basename(prev)}`);
    names.set(scenario.name, file);
  }
  return out;
}
