/**
 * What the generator hands to the runner: the ground truth and the level trace. Both are
 * plain JSON so a scenario generated once can be replayed by any policy, any number of times.
 */
import type { Observation } from "@/lib/switching/types";

export const FRAME_MS = 20;

export type Span = readonly [number, number];

export interface Utterance {
  who: string;
  role: "turn" | "backchannel";
  text: string;
  /** acoustic onset and end, ms */
  onset: number;
  end: number;
  /** voiced stretches inside the utterance (pauses of 200 ms or more split them), ms */
  segments: Span[];
}

export interface SfxInstance {
  who: string;
  kind: string;
  start: number;
  end: number;
}

export interface ActionInstance {
  who: string;
  t: number;
  action: "mute" | "unmute" | "leave" | "join";
}

export interface FloorSegment {
  from: number;
  to: number;
  who: string | null;
}

export interface Truth {
  scenario: string;
  durationMs: number;
  participants: string[];
  groups: Record<string, string>;
  /** leak_db[talker][mic] as in the scenario */
  leakDb: Record<string, Record<string, number>>;
  utterances: Utterance[];
  sfx: SfxInstance[];
  actions: ActionInstance[];
  /** speech per talker (turns and backchannels), ms */
  speech: Record<string, Span[]>;
  /** who holds the floor; consecutive segments always differ in `who` */
  floor: FloorSegment[];
}

export interface LevelTrace {
  frameMs: number;
  participants: string[];
  /** dBov per 20 ms frame per participant; null = no packet (muted, lost, DTX, absent) */
  levels: Record<string, Array<number | null>>;
  /** join / leave / mute observations, in time order */
  events: Observation[];
}

/**
 * Turns a trace into the observation stream a policy sees: the session events at their
 * times, and one levels observation per frame stamped at the frame's END (a level is only
 * known once its 20 ms have passed). Absent participants are left out of the map, which the
 * contract defines as silence. With a `speech` track (lab/speech-track.ts) each frame also
 * carries the model's probabilities, as the director's input stage would send them.
 */
export function observations(trace: LevelTrace, speech?: Readonly<Record<string, ReadonlyArray<number | null>>>): Observation[] {
  const n = Math.max(0, ...trace.participants.map((p) => trace.levels[p]?.length ?? 0));
  const out: Observation[] = [];
  let e = 0;
  for (let i = 0; i < n; i++) {
    const t = (i + 1) * trace.frameMs;
    while (e < trace.events.length && (trace.events[e]?.t ?? Infinity) <= t) {
      const ev = trace.events[e];
      if (ev) out.push(ev);
      e++;
    }
    const levels: Record<string, number> = {};
    for (const p of trace.participants) {
      const v = trace.levels[p]?.[i];
      if (v !== null && v !== undefined) levels[p] = v;
    }
    if (speech) {
      // The model's probability rides on the same frame; only where the frame arrived
      // (a lost packet carries neither) and the model ran. Missing = not evaluated.
      const sp: Record<string, number> = {};
      for (const p of trace.participants) {
        const v = speech[p]?.[i];
        if (v !== null && v !== undefined && levels[p] !== undefined) sp[p] = v;
      }
      out.push({ type: "levels", t, levels, speech: sp });
    } else out.push({ type: "levels", t, levels });
  }
  for (; e < trace.events.length; e++) {
    const ev = trace.events[e];
    if (ev) out.push(ev);
  }
  return out;
}

/** The floor holder at time t (ms). */
export function floorAt(floor: readonly FloorSegment[], t: number): string | null {
  for (const s of floor) if (t >= s.from && t < s.to) return s.who;
  return null;
}
