/**
 * A tiny builder of synthetic observation traces for the switch-policy tests:
 * per-participant noise floors, talk segments with syllable modulation, transients, and
 * join/leave/mute/pin/speakers events, rendered as 20 ms `levels` frames.
 */
import { mulberry32 } from "@/lab/rng";
import type { Decision, Observation, ParticipantId, SwitchPolicy } from "@/lib/switching/types";

export const FRAME_MS = 20;

type Segment =
  | { kind: "constant"; id: ParticipantId; from: number; to: number; dbov: number }
  | {
      kind: "speech";
      id: ParticipantId;
      from: number;
      to: number;
      dbov: number;
      syllableMs: number;
      dipMs: number;
      dipDb: number;
    }
  | { kind: "transient"; id: ParticipantId; from: number; to: number; dbov: number };

interface Person {
  id: ParticipantId;
  floor: number;
  joinAt: number;
  leaveAt: number;
  /** [from, to) intervals during which the microphone is muted. */
  muted: Array<[number, number]>;
}

export interface SpeechOptions {
  /** Voiced part of each syllable. */
  syllableMs?: number;
  /** Dip between syllables. */
  dipMs?: number;
  /** How much quieter the dip is than the syllable. */
  dipDb?: number;
}

export class Trace {
  private readonly people = new Map<ParticipantId, Person>();
  private readonly segments: Segment[] = [];
  private readonly events: Observation[] = [];

  constructor(private readonly jitterSeed = 1) {}

  /** A participant present from `joinAt` with a room/noise floor of `floor` dBov. */
  participant(id: ParticipantId, floor = 70, joinAt = 0): this {
    this.people.set(id, { id, floor, joinAt, leaveAt: Number.POSITIVE_INFINITY, muted: [] });
    this.events.push({ type: "join", t: joinAt, id });
    return this;
  }

  /** A steady sound (or a steady talker) at `dbov` during [from, to). */
  constant(id: ParticipantId, from: number, to: number, dbov: number): this {
    this.segments.push({ kind: "constant", id, from, to, dbov });
    return this;
  }

  /** Speech at `dbov` during [from, to), modulated at syllable rate. */
  speech(id: ParticipantId, from: number, to: number, dbov: number, opt: SpeechOptions = {}): this {
    this.segments.push({
      kind: "speech",
      id,
      from,
      to,
      dbov,
      syllableMs: opt.syllableMs ?? 200,
      dipMs: opt.dipMs ?? 60,
      dipDb: opt.dipDb ?? 15,
    });
    return this;
  }

  /** A spiky transient (click, cough, door): `peak` dBov at `at`, decaying to the floor over `durMs`. */
  transient(id: ParticipantId, at: number, peak: number, durMs: number): this {
    this.segments.push({ kind: "transient", id, from: at, to: at + durMs, dbov: peak });
    return this;
  }

  leave(id: ParticipantId, t: number): this {
    const p = this.people.get(id);
    if (p) p.leaveAt = t;
    this.events.push({ type: "leave", t, id });
    return this;
  }

  mute(id: ParticipantId, from: number, to = Number.POSITIVE_INFINITY): this {
    this.people.get(id)?.muted.push([from, to]);
    this.events.push({ type: "mute", t: from, id, muted: true });
    if (Number.isFinite(to)) this.events.push({ type: "mute", t: to, id, muted: false });
    return this;
  }

  pin(id: ParticipantId | null, t: number): this {
    this.events.push({ type: "pin", t, id });
    return this;
  }

  /** Any other observation (take, roles, shot length, wide) at its own time. */
  event(obs: Observation): this {
    this.events.push(obs);
    return this;
  }

  speakers(ids: ParticipantId[], t: number): this {
    this.events.push({ type: "speakers", t, ids });
    return this;
  }

  /** The level of `id` at frame time t, or undefined when not live. */
  levelAt(p: Person, t: number, jitter: number): number | undefined {
    if (t < p.joinAt || t >= p.leaveAt) return undefined;
    if (p.muted.some(([a, b]) => t >= a && t < b)) return undefined;
    let level = Math.min(127, Math.max(0, Math.round(p.floor + jitter)));
    for (const s of this.segments) {
      if (s.id !== p.id || t < s.from || t >= s.to) continue;
      let l = s.dbov;
      if (s.kind === "speech") {
        const phase = (t - s.from) % (s.syllableMs + s.dipMs);
        if (phase >= s.syllableMs) l = s.dbov + s.dipDb;
      } else if (s.kind === "transient") {
        // Linear in dB from the peak down to the floor: sharp attack, decay.
        l = s.dbov + ((p.floor - s.dbov) * (t - s.from)) / (s.to - s.from);
      }
      level = Math.min(level, Math.round(l));
    }
    return level;
  }

  /** Observations from t = 0 to `untilMs` (inclusive); events precede the frame at their time. */
  build(untilMs: number): Observation[] {
    // Deterministic ±1 dB jitter so floors are not perfectly flat.
    const rand = mulberry32(this.jitterSeed);
    const events = [...this.events].sort((a, b) => a.t - b.t);
    const out: Observation[] = [];
    let e = 0;
    for (let t = 0; t <= untilMs; t += FRAME_MS) {
      while (e < events.length && (events[e]?.t ?? Infinity) <= t) out.push(events[e++] as Observation);
      const levels: Record<ParticipantId, number> = {};
      for (const p of this.people.values()) {
        const jitter = rand() * 2 - 1;
        const l = this.levelAt(p, t, jitter);
        if (l !== undefined) levels[p.id] = l;
      }
      out.push({ type: "levels", t, levels });
    }
    return out;
  }
}

/** The usual two-person room: participants "a" and "b". */
export function ab(): Trace {
  return new Trace().participant("a").participant("b");
}

/** Feeds every observation and returns the decisions, in order. */
export function run(policy: SwitchPolicy, observations: readonly Observation[]): Decision[] {
  const out: Decision[] = [];
  for (const o of observations) {
    const d = policy.observe(o);
    if (d) {
      // Every decision must agree with the policy's own state.
      if (policy.program !== d.program) throw new Error(`program ${policy.program} != decision ${d.program}`);
      out.push(d);
    }
  }
  return out;
}

/** The first decision putting `id` on program at or after `from`. */
export function firstTo(decisions: readonly Decision[], id: ParticipantId | null, from = 0): Decision | undefined {
  return decisions.find((d) => d.program === id && d.t >= from);
}

/** Program at time t according to the decisions. */
export function programAt(decisions: readonly Decision[], t: number): ParticipantId | null {
  let p: ParticipantId | null = null;
  for (const d of decisions) if (d.t <= t) p = d.program;
  return p;
}
