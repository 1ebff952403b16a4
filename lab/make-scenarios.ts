/**
 * Writes the committed scenario families (lab/scenarios/*.yaml) deterministically from a seed.
 * The YAML is what we commit and review; this script only saves typing 60 files by hand.
 *
 *   npx tsx lab/make-scenarios.ts [outDir] [--seeds 6-25] [--families s13,s17]
 *
 * Seeds 1-3 of each family are for tuning, seeds 4-5 are held out. Other seeds (a fresh
 * stress set, written elsewhere than lab/scenarios) are held out too: nothing was tuned on them.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Rng, pick, rngFor, uniform } from "./rng";

const SEEDS = [1, 2, 3, 4, 5];
const HELDOUT = new Set([4, 5]);

const VOICES = ["en-us+f3", "en-gb+m3", "en-us+m1", "en-gb+f2", "en-us+m4", "en-gb+f4"];
const NAMES = ["alice", "bob", "carol", "dave", "erin", "frank"];

const LONG = [
  "Let's look at the numbers, starting with revenue for the third quarter.",
  "I think the main problem is that the rollout happened too quickly for support.",
  "We should schedule a follow up with the design team before the end of the week.",
  "The churn figure is wrong, because it counts trial accounts as paying customers.",
  "Before we decide, can somebody explain why the latency doubled last Tuesday?",
  "My proposal is to freeze new features and spend two sprints on reliability.",
  "The customer interviews all pointed at the same thing, onboarding is confusing.",
  "If we move the launch to March we lose the conference, but we gain stability.",
  "I spoke to finance this morning and they are fine with the revised budget.",
  "Honestly, the dashboard looks great, but nobody on the sales team uses it.",
  "Let me share what we learned from the pilot with the three hospital customers.",
  "The contract renewal depends on whether we can support single sign on by June.",
];
const MEDIUM = [
  "I agree with that completely.",
  "Can we come back to the budget later?",
  "That sounds reasonable to me.",
  "What about the mobile version?",
  "I have a question about the timeline.",
  "We tried that last year and it failed.",
  "Let me check with my team first.",
  "The numbers look much better now.",
  "Who is going to own this task?",
  "I think we are missing something here.",
];
const SHORT = ["Yes, exactly.", "No, not yet.", "Why not?", "Sounds good.", "Which one?", "Next Monday.", "I doubt it.", "Fair enough.", "Really? Today?", "Not for me."];
const BACKCHANNELS = ["Right.", "Mm-hmm.", "Yeah.", "Okay.", "Sure.", "I see.", "Uh-huh."];
const SFX_ALL = ["keyboard", "cough", "door", "clap", "click"] as const;
/** Issue 12's families (lab/sfx.ts), plus the cough: every one of them lasts 250 ms or more. */
const NOISES = ["cough", "sneeze", "chair", "rustle", "drop", "beep", "laughter", "applause", "music", "breathing", "fardoor"] as const;

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

interface P {
  id: string;
  voice: string;
  rate: number;
  pitch: number;
  gain_db?: number;
  noise: { type: "pink" | "white" | "brown" | "none"; dbfs: number };
  group?: string;
  late?: boolean;
}

type Ev = Record<string, string | number>;

interface Doc {
  name: string;
  description: string;
  family: string;
  split: "tuning" | "heldout";
  seed: number;
  participants: P[];
  leak_db?: Record<string, Record<string, number>>;
  leak_delay_ms?: Record<string, Record<string, number>>;
  network?: { jitter_ms: number; loss: number; dtx: boolean };
  events: Ev[];
}

const r1 = (x: number): number => Math.round(x);
const r2 = (x: number): number => Math.round(x * 100) / 100;

function people(rng: Rng, n: number, offset = 0): P[] {
  return Array.from({ length: n }, (_, i) => ({
    id: NAMES[(i + offset) % NAMES.length] ?? `p${i}`,
    voice: VOICES[(i + offset) % VOICES.length] ?? "en-us",
    rate: r1(uniform(rng, 155, 185)),
    pitch: r1(uniform(rng, 40, 60)),
    noise: { type: "pink" as const, dbfs: r1(uniform(rng, -68, -58)) },
  }));
}

function other(rng: Rng, ps: readonly P[], not: string | null): P {
  const pool = ps.filter((p) => p.id !== not);
  return pick(rng, pool);
}

function turnTaking(rng: Rng, ps: readonly P[], n: number, texts: readonly string[], gap: [number, number]): Ev[] {
  const evs: Ev[] = [];
  let prev: string | null = null;
  for (let i = 0; i < n; i++) {
    const p = other(rng, ps, prev);
    const say = pick(rng, texts);
    evs.push(i === 0 ? { t: r2(uniform(rng, 0.3, 1)), who: p.id, say } : { gap_ms: r1(uniform(rng, gap[0], gap[1])), who: p.id, say });
    prev = p.id;
  }
  return evs;
}

type Family = (seed: number, rng: Rng) => Omit<Doc, "name" | "family" | "split" | "seed">;

const FAMILIES: Record<string, { slug: string; make: Family }> = {
  s01: {
    slug: "turns-4talkers",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      return { description: "Turn-taking among 4 talkers, gaps 200-800 ms.", participants: ps, events: turnTaking(rng, ps, 8, [...LONG, ...MEDIUM], [200, 800]) };
    },
  },
  s02: {
    slug: "rapid-exchange",
    make: (_s, rng) => {
      const ps = people(rng, 3);
      return { description: "Rapid exchanges of 0.8-1.5 s turns with short gaps.", participants: ps, events: turnTaking(rng, ps, 12, SHORT, [100, 450]) };
    },
  },
  s03: {
    slug: "monologue-backchannels",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const [host, ...rest] = ps as [P, ...P[]];
      const evs: Ev[] = [{ t: 0.5, who: host.id, say: pick(rng, LONG) }];
      for (let i = 0; i < 5; i++) {
        // A backchannel from a listener somewhere inside the current sentence.
        evs.push({ after_onset_ms: r1(uniform(rng, 800, 2200)), who: pick(rng, rest).id, say: pick(rng, BACKCHANNELS), role: "backchannel" });
        evs.push({ gap_ms: r1(uniform(rng, 250, 600)), who: host.id, say: pick(rng, LONG) });
      }
      evs.push({ gap_ms: r1(uniform(rng, 400, 800)), who: pick(rng, rest).id, say: pick(rng, MEDIUM) });
      return { description: "A monologue with backchannels from the listeners (must not switch).", participants: ps, events: evs };
    },
  },
  s04: {
    slug: "interruptions",
    make: (_s, rng) => {
      const ps = people(rng, 3);
      const evs: Ev[] = [{ t: 0.5, who: ps[0]?.id ?? "alice", say: pick(rng, LONG) }];
      let prev = ps[0]?.id ?? null;
      for (let i = 0; i < 6; i++) {
        const p = other(rng, ps, prev);
        evs.push({ overlap_ms: r1(uniform(rng, 300, 2000)), who: p.id, say: pick(rng, LONG) });
        prev = p.id;
      }
      return { description: "Interruptions: each turn starts 0.3-2 s before the previous one ends.", participants: ps, events: evs };
    },
  },
  s05: {
    slug: "transients-silence",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const evs: Ev[] = [{ t: 0.5, who: ps[0]?.id ?? "alice", say: pick(rng, MEDIUM) }];
      let holder = ps[0]?.id ?? null;
      const kinds = [...SFX_ALL, ...SFX_ALL].sort(() => rng() - 0.5);
      kinds.forEach((kind, i) => {
        // Transients in the silence after a turn, from someone other than the last talker.
        evs.push({ gap_ms: r1(uniform(rng, 700, 1500)) + (i % 2) * 2500, who: other(rng, ps, holder).id, sfx: kind });
        if (i % 2 === 1) {
          const p = other(rng, ps, holder);
          evs.push({ gap_ms: r1(uniform(rng, 4500, 5500)), who: p.id, say: pick(rng, MEDIUM) });
          holder = p.id;
        }
      });
      return { description: "Transients (keyboard, cough, door, clap, click) in silence between turns.", participants: ps, events: evs };
    },
  },
  s06: {
    slug: "transients-speech",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const [host, ...rest] = ps as [P, ...P[]];
      const evs: Ev[] = [{ t: 0.5, who: host.id, say: pick(rng, LONG) }];
      for (let i = 0; i < 6; i++) {
        evs.push({ after_onset_ms: r1(uniform(rng, 500, 2500)), who: pick(rng, rest).id, sfx: SFX_ALL[i % SFX_ALL.length] ?? "click" });
        evs.push({ gap_ms: r1(uniform(rng, 250, 500)), who: host.id, say: pick(rng, LONG) });
      }
      return { description: "Transients from listeners while the holder is speaking.", participants: ps, events: evs };
    },
  },
  s07: {
    slug: "quiet-talker-fan",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const quiet = ps[1];
      const fan = ps[2];
      if (quiet) quiet.gain_db = -20;
      if (fan) fan.noise = { type: "brown", dbfs: r1(uniform(rng, -42, -36)) };
      return {
        description: "One talker 20 dB quieter than the others; one phone beside a noisy fan.",
        participants: ps,
        events: turnTaking(rng, ps, 8, [...LONG, ...MEDIUM], [300, 800]),
      };
    },
  },
  s08: {
    slug: "colocated-phones",
    make: (_s, rng) => {
      const ps = people(rng, 6);
      const leak: Record<string, Record<string, number>> = {};
      const gaps = [3, 6, 12];
      for (let room = 0; room < 3; room++) {
        const a = ps[room * 2];
        const b = ps[room * 2 + 1];
        if (!a || !b) continue;
        a.group = `room-${room + 1}`;
        b.group = `room-${room + 1}`;
        const db = -(gaps[room] ?? 6);
        leak[a.id] = { [b.id]: db };
        leak[b.id] = { [a.id]: db };
      }
      return {
        description: "Three rooms with two phones each; a talker reaches the other phone 3, 6 and 12 dB down.",
        participants: ps,
        leak_db: leak,
        events: turnTaking(rng, ps, 10, [...LONG, ...MEDIUM], [300, 800]),
      };
    },
  },
  s09: {
    slug: "thinking-pauses",
    make: (_s, rng) => {
      const ps = people(rng, 3);
      const evs: Ev[] = [];
      let prev: string | null = null;
      for (let i = 0; i < 4; i++) {
        const p = other(rng, ps, prev);
        evs.push(i === 0 ? { t: 0.5, who: p.id, say: pick(rng, MEDIUM) } : { gap_ms: r1(uniform(rng, 300, 700)), who: p.id, say: pick(rng, MEDIUM) });
        // The same talker goes on after a 1-2 s thinking pause: the floor does not change.
        evs.push({ gap_ms: r1(uniform(rng, 1000, 2000)), who: p.id, say: pick(rng, LONG) });
        prev = p.id;
      }
      return { description: "Thinking pauses of 1-2 s inside a turn.", participants: ps, events: evs };
    },
  },
  s10: {
    slug: "network-impairments",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      return {
        description: "Turn-taking with packet loss, jitter and DTX.",
        participants: ps,
        network: { jitter_ms: r1(uniform(rng, 15, 60)), loss: r2(uniform(rng, 0.02, 0.1)), dtx: true },
        events: turnTaking(rng, ps, 8, [...LONG, ...MEDIUM], [200, 800]),
      };
    },
  },
  s11: {
    slug: "mute-leave-join",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const [a, b, c, d] = ps as [P, P, P, P];
      d.late = true;
      const evs: Ev[] = [
        { t: 0.5, who: a.id, say: pick(rng, LONG) },
        { gap_ms: r1(uniform(rng, 200, 600)), who: a.id, action: "mute" },
        { gap_ms: r1(uniform(rng, 1500, 2500)), who: b.id, say: pick(rng, LONG) },
        { gap_ms: r1(uniform(rng, 100, 400)), who: b.id, action: "leave" },
        { gap_ms: r1(uniform(rng, 1500, 2500)), who: c.id, say: pick(rng, MEDIUM) },
        { gap_ms: r1(uniform(rng, 300, 800)), who: d.id, action: "join" },
        { gap_ms: r1(uniform(rng, 1500, 2500)), who: d.id, say: pick(rng, LONG) },
        { gap_ms: r1(uniform(rng, 300, 600)), who: a.id, action: "unmute" },
        { gap_ms: r1(uniform(rng, 800, 1200)), who: a.id, say: pick(rng, MEDIUM) },
      ];
      return { description: "The holder mutes, a holder leaves, a late participant joins and speaks.", participants: ps, events: evs };
    },
  },
  s12: {
    slug: "far-end-leakage",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const hall = ps[3];
      const leak: Record<string, Record<string, number>> = {};
      const delay: Record<string, Record<string, number>> = {};
      if (hall) {
        // Everyone's voice comes out of the hall's loudspeaker and back into its mic,
        // imperfectly cancelled, a network round trip later.
        for (const p of ps.slice(0, 3)) {
          leak[p.id] = { [hall.id]: r1(uniform(rng, -24, -14)) };
          delay[p.id] = { [hall.id]: r1(uniform(rng, 120, 300)) };
        }
      }
      return {
        description: "A far-end loudspeaker leaks everyone's voice back into one participant's mic.",
        participants: ps,
        leak_db: leak,
        leak_delay_ms: delay,
        events: turnTaking(rng, ps, 8, [...LONG, ...MEDIUM], [250, 800]),
      };
    },
  },
  s13: {
    slug: "noises-free-floor",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const evs: Ev[] = [];
      let holder: string | null = null;
      // Every noise family once per scenario, in the silence between turns, from a listener.
      const kinds = shuffled(rng, NOISES);
      kinds.forEach((kind, i) => {
        const p = other(rng, ps, holder);
        evs.push(i === 0 ? { t: 0.5, who: p.id, say: pick(rng, MEDIUM) } : { gap_ms: r1(uniform(rng, 4800, 5600)), who: p.id, say: pick(rng, MEDIUM) });
        holder = p.id;
        evs.push({ gap_ms: r1(uniform(rng, 400, 900)), who: other(rng, ps, holder).id, sfx: kind });
      });
      evs.push({ gap_ms: r1(uniform(rng, 4800, 5600)), who: other(rng, ps, holder).id, say: pick(rng, MEDIUM) });
      return { description: "Noises of 250 ms or more (every family of lab/sfx.ts and a cough) in the silence between turns of a free floor.", participants: ps, events: evs };
    },
  },
  s14: {
    slug: "whispered-turns",
    make: (_s, rng) => {
      const ps = people(rng, 3);
      // One whisperer (espeak-ng's whisper variant, 10-16 dB down) and one far phone.
      const w = ps[1];
      const far = ps[2];
      if (w) {
        w.voice = pick(rng, ["en-us+whisper", "en-gb+whisper"]);
        w.gain_db = r1(uniform(rng, -16, -10));
      }
      if (far) far.gain_db = r1(uniform(rng, -18, -12));
      return { description: "Turn-taking with a whispering talker and a talker far from their phone.", participants: ps, events: turnTaking(rng, ps, 9, [...MEDIUM, ...LONG], [400, 900]) };
    },
  },
  s15: {
    slug: "talker-by-fan",
    make: (_s, rng) => {
      const ps = people(rng, 3);
      const fan = ps[0];
      if (fan) fan.noise = { type: pick(rng, ["brown", "pink"] as const), dbfs: r1(uniform(rng, -34, -28)) };
      return { description: "A talker beside a loud fan (noise 6-12 dB under their voice) in a turn-taking meeting.", participants: ps, events: turnTaking(rng, ps, 8, [...MEDIUM, ...LONG], [300, 800]) };
    },
  },
  s16: {
    slug: "crosstalk",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const [host, a, b, c] = ps as [P, P, P, P];
      const evs: Ev[] = [{ t: 0.5, who: host.id, say: pick(rng, LONG) }];
      for (let i = 0; i < 3; i++) {
        // Two listeners whisper to each other while the host speaks: not a turn.
        evs.push({ after_onset_ms: r1(uniform(rng, 300, 1200)), who: a.id, say: pick(rng, SHORT), role: "backchannel", gain_db: r1(uniform(rng, -12, -6)) });
        evs.push({ after_onset_ms: r1(uniform(rng, 1500, 2500)), who: b.id, say: pick(rng, SHORT), role: "backchannel", gain_db: r1(uniform(rng, -12, -6)) });
        evs.push({ gap_ms: r1(uniform(rng, 300, 600)), who: host.id, say: pick(rng, LONG) });
      }
      evs.push({ gap_ms: r1(uniform(rng, 400, 800)), who: c.id, say: pick(rng, LONG) });
      evs.push({ gap_ms: r1(uniform(rng, 400, 800)), who: host.id, say: pick(rng, MEDIUM) });
      return { description: "Side talk between two listeners, quieter than the host, during the host's turn (must not switch).", participants: ps, events: evs };
    },
  },
  s17: {
    slug: "noises-in-speech",
    make: (_s, rng) => {
      const ps = people(rng, 4);
      const [host, ...rest] = ps as [P, ...P[]];
      const evs: Ev[] = [{ t: 0.5, who: host.id, say: pick(rng, LONG) }];
      for (const kind of shuffled(rng, NOISES).slice(0, 6)) {
        evs.push({ after_onset_ms: r1(uniform(rng, 300, 1500)), who: pick(rng, rest).id, sfx: kind });
        evs.push({ gap_ms: r1(uniform(rng, 250, 500)), who: host.id, say: pick(rng, LONG) });
      }
      return { description: "Noises of the new families from listeners while the holder is speaking.", participants: ps, events: evs };
    },
  },
};

function yamlValue(v: unknown): string {
  if (typeof v === "string") return /^[A-Za-z][A-Za-z0-9_+-]*$/.test(v) && !["yes", "no", "true", "false", "null", "on", "off"].includes(v.toLowerCase()) ? v : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v && typeof v === "object") return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${yamlValue(x)}`).join(", ")} }`;
  return "null";
}

function toYaml(d: Doc): string {
  const lines: string[] = [
    "# Generated by lab/make-scenarios.ts; edit freely, it is the committed source of truth.",
    `name: ${d.name}`,
    `description: ${JSON.stringify(d.description)}`,
    `family: ${d.family}`,
    `split: ${d.split}`,
    `seed: ${d.seed}`,
    "participants:",
    ...d.participants.map((p) => `  - ${yamlValue(p)}`),
  ];
  if (d.leak_db) lines.push(`leak_db: ${yamlValue(d.leak_db)}`);
  if (d.leak_delay_ms) lines.push(`leak_delay_ms: ${yamlValue(d.leak_delay_ms)}`);
  if (d.network) lines.push(`network: ${yamlValue(d.network)}`);
  lines.push("events:", ...d.events.map((e) => `  - ${yamlValue(e)}`));
  return `${lines.join("\n")}\n`;
}

/** "6-25" or "1,4,9" → seeds. */
function parseSeeds(v: string): number[] {
  const out: number[] = [];
  for (const part of v.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`--seeds: "${part}" is not a seed or a range like 6-25`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`--seeds: the range ${part} runs backwards`);
    for (let s = from; s <= to; s++) out.push(s);
  }
  return out;
}

function main(): void {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { seeds: { type: "string" }, families: { type: "string" } } });
  const out = resolve(positionals[0] ?? join(__dirname, "scenarios"));
  const seeds = values.seeds ? parseSeeds(values.seeds) : SEEDS;
  const families = values.families?.split(",").map((f) => f.trim());
  for (const f of families ?? []) if (!(f in FAMILIES)) throw new Error(`--families: no family ${f} (have ${Object.keys(FAMILIES).join(", ")})`);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (/^s\d\d-.*\.yaml$/.test(f)) rmSync(join(out, f));
  let n = 0;
  for (const [family, { slug, make }] of Object.entries(FAMILIES)) {
    if (families && !families.includes(family)) continue;
    for (const seed of seeds) {
      const name = `${family}-${slug}-seed${seed}`;
      const body = make(seed, rngFor(seed, `family:${family}`));
      const doc: Doc = { name, family, split: HELDOUT.has(seed) || !SEEDS.includes(seed) ? "heldout" : "tuning", seed, ...body };
      writeFileSync(join(out, `${name}.yaml`), toYaml(doc));
      n++;
    }
  }
  console.log(`wrote ${n} scenarios to ${out}`);
}

main();
