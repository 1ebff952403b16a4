/**
 * Switching-quality metrics. Each run (one policy, one scenario, one tick phase) becomes a
 * RunRecord of raw counts and samples; aggregate() pools records so a percentile is over all
 * turns of a set, not an average of per-scenario percentiles (which would weight a two-turn
 * scenario like a twenty-turn one).
 */
import type { Decision, Shot } from "@/lib/switching/types";
import { CLASSIC_SFX } from "./scenario";
import { type FloorSegment, type Span, type Truth, floorAt } from "./trace";

const CLASSIC = new Set<string>(CLASSIC_SFX);

/** A cut: the program changed to `to` at `t`. */
export interface Cut {
  t: number;
  to: string | null;
  from: string | null;
}

/** The shot changed to `shot` at `t` (the mixer's wide shots; lib/switching/mixer.ts). */
export interface ShotChange {
  t: number;
  shot: Shot;
}

export const QUICK_GAP_MS = 300;
export const LONG_TURN_MS = 1500;
export const FLAP_WINDOW_MS = 3000;
export const COLLAR_MS = 500;
/** A switch this soon after a transient or backchannel ends is blamed on it. */
export const BLAME_WINDOW_MS = 1000;

export type GapClass = "free" | "quick" | "overlap";

export interface TurnResult {
  who: string;
  onset: number;
  cls: GapClass;
  gapMs: number;
  /** ms from onset to the first cut to `who` within its floor; null = never shown */
  latencyMs: number | null;
  speechMs: number;
}

export interface RunRecord {
  scenario: string;
  family: string;
  split: string;
  policy: string;
  run: number;
  durationMs: number;
  turns: TurnResult[];
  missed: number;
  sfx: Array<{ kind: string; inSpeech: boolean; switched: boolean }>;
  backchannels: Array<{ switched: boolean }>;
  flaps: number;
  switches: number;
  floorChanges: number;
  floorMs: number;
  onHolderMs: number;
  coloc: Array<{ gapDb: number; floorMs: number; onMs: number }>;
  /**
   * The wide rules, for rows that decide shots (null for the anchors): ms on a wide shot,
   * ms of crosstalk (two or more turns' speech at once) and of that, ms shown wide.
   */
  wideMs: number | null;
  crosstalkMs: number;
  crosstalkWideMs: number | null;
}

/** Cuts from a policy's decisions: only real changes of program. */
export function cutsFromDecisions(decisions: readonly Decision[]): Cut[] {
  const cuts: Cut[] = [];
  let cur: string | null = null;
  for (const d of decisions) {
    if (d.program === cur) continue;
    cuts.push({ t: d.t, to: d.program, from: cur });
    cur = d.program;
  }
  return cuts;
}

/** Shot changes from a mixer's decisions (a bare policy's are all speaker shots). */
export function shotsFromDecisions(decisions: readonly Decision[]): ShotChange[] {
  const out: ShotChange[] = [];
  let cur: Shot = "speaker";
  for (const d of decisions) {
    const shot = d.shot ?? "speaker";
    if (shot === cur) continue;
    out.push({ t: d.t, shot });
    cur = shot;
  }
  return out;
}

/** The wide stretches of a run, as [from, to) spans within [0, end). */
export function wideSpans(shots: readonly ShotChange[], end: number): Span[] {
  const out: Span[] = [];
  let from: number | null = null;
  for (const s of shots) {
    if (s.shot === "wide" && from === null) from = s.t;
    else if (s.shot === "speaker" && from !== null) {
      out.push([from, Math.min(end, s.t)]);
      from = null;
    }
  }
  if (from !== null && from < end) out.push([from, end]);
  return out;
}

/** Spans where two or more talkers' turns overlap (backchannels are not crosstalk). */
export function crosstalkSpans(truth: Truth): Span[] {
  const edges: Array<[number, number]> = [];
  for (const u of truth.utterances) {
    if (u.role !== "turn") continue;
    edges.push([u.onset, 1], [u.end, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Span[] = [];
  let n = 0;
  let from = 0;
  for (const [t, step] of edges) {
    const was = n;
    n += step;
    if (was < 2 && n >= 2) from = t;
    else if (was >= 2 && n < 2 && t > from) out.push([from, t]);
  }
  return out;
}

function spanMs(spans: readonly Span[]): number {
  return spans.reduce((a, [x, y]) => a + Math.max(0, y - x), 0);
}

/** ms covered by both span lists (each list sorted and non-overlapping). */
function overlapMs(a: readonly Span[], b: readonly Span[]): number {
  let total = 0;
  for (const [x1, y1] of a) for (const [x2, y2] of b) total += Math.max(0, Math.min(y1, y2) - Math.max(x1, x2));
  return total;
}

/** Program at time t (the last cut at or before t). */
export function programAt(cuts: readonly Cut[], t: number): string | null {
  let p: string | null = null;
  for (const c of cuts) {
    if (c.t > t) break;
    p = c.to;
  }
  return p;
}

/** Milliseconds within [from, to) during which the program is `who`. */
export function timeOn(cuts: readonly Cut[], who: string, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  let cur = programAt(cuts, from);
  let at = from;
  for (const c of cuts) {
    if (c.t <= from) continue;
    if (c.t >= to) break;
    if (cur === who) total += c.t - at;
    cur = c.to;
    at = c.t;
  }
  if (cur === who) total += to - at;
  return total;
}

export interface FloorChange {
  who: string;
  onset: number;
  /** end of this holder's floor (next change, a leave, or the end) */
  end: number;
}

export function floorChanges(floor: readonly FloorSegment[]): FloorChange[] {
  const out: FloorChange[] = [];
  let prev: string | null = null;
  for (const seg of floor) {
    if (seg.who === null) {
      const last = out[out.length - 1];
      if (last && last.end > seg.from) last.end = seg.from;
      continue;
    }
    if (seg.who !== prev) out.push({ who: seg.who, onset: seg.from, end: seg.to });
    else {
      const last = out[out.length - 1];
      if (last) last.end = seg.to;
    }
    prev = seg.who;
  }
  return out;
}

/** Gap before a floor change: onset minus the end of other talkers' turn speech before it. */
export function gapBefore(truth: Truth, who: string, onset: number): number {
  let lastEnd = -Infinity;
  for (const u of truth.utterances) {
    if (u.role !== "turn" || u.who === who || u.onset >= onset) continue;
    lastEnd = Math.max(lastEnd, u.end);
  }
  return lastEnd === -Infinity ? Infinity : onset - lastEnd;
}

export function classify(gapMs: number): GapClass {
  if (gapMs < 0) return "overlap";
  return gapMs <= QUICK_GAP_MS ? "quick" : "free";
}

function overlaps(spans: ReadonlyArray<readonly [number, number]>, from: number, to: number): boolean {
  return spans.some(([a, b]) => a < to && b > from);
}

/** Cuts to `who` in [from, to) while `who` does not hold the floor: false switches. */
function blamedCut(cuts: readonly Cut[], truth: Truth, who: string, from: number, to: number): boolean {
  return cuts.some((c) => c.to === who && c.t >= from && c.t < to && floorAt(truth.floor, c.t) !== who);
}

export interface EvaluateOptions {
  scenario: string;
  family: string;
  split: string;
  policy: string;
  run: number;
}

/**
 * `shots`: the run's shot changes when the row decides shots (the wide metrics), else
 * undefined. Only `cuts` (program changes) feed the speaker metrics: a wide shot keeps the
 * program, so it is never a false switch and never moves a latency.
 */
export function evaluate(truth: Truth, cuts: readonly Cut[], opts: EvaluateOptions, shots?: readonly ShotChange[]): RunRecord {
  const changes = floorChanges(truth.floor);
  const turns: TurnResult[] = [];
  let missed = 0;
  for (const ch of changes) {
    const gap = gapBefore(truth, ch.who, ch.onset);
    const already = programAt(cuts, ch.onset) === ch.who;
    const first = cuts.find((c) => c.to === ch.who && c.t >= ch.onset && c.t < ch.end);
    const latency = already ? 0 : first ? first.t - ch.onset : null;
    const utt = truth.utterances.find((u) => u.who === ch.who && u.role === "turn" && u.onset === ch.onset);
    const speechMs = utt ? utt.end - utt.onset : ch.end - ch.onset;
    if (latency === null && speechMs >= LONG_TURN_MS) missed++;
    turns.push({ who: ch.who, onset: ch.onset, cls: classify(gap), gapMs: gap, latencyMs: latency, speechMs });
  }

  const sfx = truth.sfx.map((s) => {
    const holder = floorAt(truth.floor, s.start);
    const holderSpeech = holder && holder !== s.who ? (truth.speech[holder] ?? []) : [];
    return {
      kind: s.kind,
      inSpeech: overlaps(holderSpeech, s.start, s.end),
      switched: blamedCut(cuts, truth, s.who, s.start, s.end + BLAME_WINDOW_MS),
    };
  });
  const backchannels = truth.utterances
    .filter((u) => u.role === "backchannel")
    .map((u) => ({ switched: blamedCut(cuts, truth, u.who, u.onset, u.end + BLAME_WINDOW_MS) }));

  // A flap is A→B→A within 3 s where B never held the floor around it: the detour was noise.
  const real = cuts.filter((c) => c.to !== null);
  let flaps = 0;
  for (let i = 0; i + 1 < real.length; i++) {
    const a = real[i];
    const b = real[i + 1];
    if (!a || !b || a.from === null || b.to !== a.from || b.t - a.t > FLAP_WINDOW_MS) continue;
    const bWho = a.to;
    const held = truth.floor.some((s) => s.who === bWho && s.from < b.t && s.to > a.t - 2000);
    if (!held) flaps++;
  }

  let floorMs = 0;
  let onHolderMs = 0;
  const coloc: RunRecord["coloc"] = [];
  for (const seg of truth.floor) {
    const who = seg.who;
    if (who === null) continue;
    const from = Math.min(seg.to, seg.from + COLLAR_MS);
    const on = timeOn(cuts, who, from, seg.to);
    floorMs += seg.to - from;
    onHolderMs += on;
    const group = truth.groups[who];
    if (group) {
      const mates = Object.entries(truth.groups).filter(([id, g]) => g === group && id !== who).map(([id]) => id);
      const leaks = mates.map((m) => truth.leakDb[who]?.[m]).filter((v): v is number => v !== undefined);
      if (leaks.length > 0) coloc.push({ gapDb: -Math.max(...leaks), floorMs: seg.to - from, onMs: on });
    }
  }
  const crosstalk = crosstalkSpans(truth);
  const wide = shots ? wideSpans(shots, truth.durationMs) : null;
  return {
    ...opts,
    wideMs: wide ? spanMs(wide) : null,
    crosstalkMs: spanMs(crosstalk),
    crosstalkWideMs: wide ? overlapMs(crosstalk, wide) : null,
    durationMs: truth.durationMs,
    turns,
    missed,
    sfx,
    backchannels,
    flaps,
    switches: real.length,
    floorChanges: changes.length,
    floorMs,
    onHolderMs,
    coloc,
  };
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  // Nearest-rank: the value at or below which p % of samples fall; no interpolation, so a
  // reported latency is one that actually happened.
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx] ?? null;
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

export interface Summary {
  policy: string;
  runs: number;
  latFreeP50: number | null;
  latFreeP90: number | null;
  latQuickP50: number | null;
  latQuickP90: number | null;
  latOverlapP50: number | null;
  nFree: number;
  nQuick: number;
  missed: number;
  /** per run, so policies run over several tick phases stay comparable */
  missedPerRun: number;
  fsQuietNonCough: number | null;
  fsCoughQuiet: number | null;
  fsInSpeech: number | null;
  /** the sound families of issue 12 and sfx_wav recordings, in silence and during speech */
  fsNoiseQuiet: number | null;
  fsNoiseSpeech: number | null;
  /** per sound family: false-switch rate and count, in silence and during speech */
  fsByKind: Record<string, { quiet: number | null; nQuiet: number; speech: number | null; nSpeech: number }>;
  bcSwitch: number | null;
  flapsOutsideS4: number;
  flapsS4PerMin: number | null;
  efficiency: number | null;
  timeAccuracy: number | null;
  coloc6: number | null;
  coloc3: number | null;
  /** share of the time on a wide shot; null for rows that do not decide shots */
  wideShare: number | null;
  /** share of crosstalk time (two or more turns at once) shown on a wide shot */
  crosstalkWide: number | null;
}

export const S4_FAMILY = "s04";

function byKind(sfx: ReadonlyArray<{ kind: string; inSpeech: boolean; switched: boolean }>): Summary["fsByKind"] {
  const out: Summary["fsByKind"] = {};
  for (const kind of [...new Set(sfx.map((s) => s.kind))].sort()) {
    const q = sfx.filter((s) => s.kind === kind && !s.inSpeech);
    const sp = sfx.filter((s) => s.kind === kind && s.inSpeech);
    out[kind] = {
      quiet: q.length ? q.filter((s) => s.switched).length / q.length : null,
      nQuiet: q.length,
      speech: sp.length ? sp.filter((s) => s.switched).length / sp.length : null,
      nSpeech: sp.length,
    };
  }
  return out;
}

export function aggregate(policy: string, records: readonly RunRecord[]): Summary {
  const turns = records.flatMap((r) => r.turns);
  const lat = (cls: GapClass): number[] => turns.filter((t) => t.cls === cls && t.latencyMs !== null).map((t) => t.latencyMs as number);
  const sfx = records.flatMap((r) => r.sfx);
  const rate = (list: Array<{ switched: boolean }>): number | null => ratio(list.filter((s) => s.switched).length, list.length);
  const s4 = records.filter((r) => r.family === S4_FAMILY);
  const s4Min = s4.reduce((a, r) => a + r.durationMs, 0) / 60000;
  const nonS4 = records.filter((r) => r.family !== S4_FAMILY);
  const coloc = records.flatMap((r) => r.coloc);
  const colocAt = (pred: (db: number) => boolean): number | null => {
    const sel = coloc.filter((c) => pred(c.gapDb));
    return ratio(
      sel.reduce((a, c) => a + c.onMs, 0),
      sel.reduce((a, c) => a + c.floorMs, 0),
    );
  };
  const runs = new Set(records.map((r) => r.run)).size;
  const missed = records.reduce((a, r) => a + r.missed, 0);
  return {
    policy,
    runs,
    latFreeP50: percentile(lat("free"), 50),
    latFreeP90: percentile(lat("free"), 90),
    latQuickP50: percentile(lat("quick"), 50),
    latQuickP90: percentile(lat("quick"), 90),
    latOverlapP50: percentile(lat("overlap"), 50),
    nFree: lat("free").length,
    nQuick: lat("quick").length,
    missed,
    missedPerRun: missed / Math.max(1, runs),
    // "fs quiet" keeps its issue-4 meaning (click, keyboard, door, clap) so old tables compare.
    fsQuietNonCough: rate(sfx.filter((s) => !s.inSpeech && s.kind !== "cough" && CLASSIC.has(s.kind))),
    fsCoughQuiet: rate(sfx.filter((s) => !s.inSpeech && s.kind === "cough")),
    fsInSpeech: rate(sfx.filter((s) => s.inSpeech && CLASSIC.has(s.kind))),
    fsNoiseQuiet: rate(sfx.filter((s) => !s.inSpeech && !CLASSIC.has(s.kind))),
    fsNoiseSpeech: rate(sfx.filter((s) => s.inSpeech && !CLASSIC.has(s.kind))),
    fsByKind: byKind(sfx),
    bcSwitch: rate(records.flatMap((r) => r.backchannels)),
    flapsOutsideS4: nonS4.reduce((a, r) => a + r.flaps, 0) / Math.max(1, runs),
    flapsS4PerMin: s4Min > 0 ? s4.reduce((a, r) => a + r.flaps, 0) / s4Min : null,
    efficiency: ratio(
      records.reduce((a, r) => a + r.switches, 0),
      records.reduce((a, r) => a + r.floorChanges, 0),
    ),
    timeAccuracy: ratio(
      records.reduce((a, r) => a + r.onHolderMs, 0),
      records.reduce((a, r) => a + r.floorMs, 0),
    ),
    coloc6: colocAt((db) => db >= 4.5),
    coloc3: colocAt((db) => db < 4.5),
    ...wideSummary(records),
  };
}

function wideSummary(records: readonly RunRecord[]): Pick<Summary, "wideShare" | "crosstalkWide"> {
  if (records.length === 0 || records.some((r) => r.wideMs === null)) return { wideShare: null, crosstalkWide: null };
  return {
    wideShare: ratio(
      records.reduce((a, r) => a + (r.wideMs ?? 0), 0),
      records.reduce((a, r) => a + r.durationMs, 0),
    ),
    crosstalkWide: ratio(
      records.reduce((a, r) => a + (r.crosstalkWideMs ?? 0), 0),
      records.reduce((a, r) => a + r.crosstalkMs, 0),
    ),
  };
}

/** The bar "evidence" must clear (issue 4). `null` metrics (no samples) pass vacuously. */
export interface TargetCheck {
  metric: string;
  value: number | null;
  target: string;
  ok: boolean;
  /** how far off, in the metric's unit, when not ok */
  miss: number;
}

export function checkTargets(s: Summary): TargetCheck[] {
  const le = (metric: string, v: number | null, max: number, unit = ""): TargetCheck => ({
    metric,
    value: v,
    target: `≤ ${max}${unit}`,
    ok: v === null || v <= max + 1e-9,
    miss: v === null ? 0 : Math.max(0, v - max),
  });
  const ge = (metric: string, v: number | null, min: number, unit = ""): TargetCheck => ({
    metric,
    value: v,
    target: `≥ ${min}${unit}`,
    ok: v === null || v >= min - 1e-9,
    miss: v === null ? 0 : Math.max(0, min - v),
  });
  return [
    le("lat free p50 ms", s.latFreeP50, 350),
    le("lat free p90 ms", s.latFreeP90, 600),
    le("lat quick p50 ms", s.latQuickP50, 500),
    le("lat quick p90 ms", s.latQuickP90, 800),
    // Issue 12's goals with speech evidence; the anchors' best free-floor p50 is Jitsi's 190 ms.
    le("lat free p50 ms (issue 12)", s.latFreeP50, 200),
    le("lat free p90 ms (issue 12)", s.latFreeP90, 400),
    le("lat quick p50 ms (issue 12)", s.latQuickP50, 400),
    le("lat ovl p50 ms (issue 12)", s.latOverlapP50, 1000),
    le("missed turns", s.missedPerRun, 0),
    le("fs click/kbd/door/clap", s.fsQuietNonCough, 0),
    le("fs cough quiet", s.fsCoughQuiet, 0.1),
    le("fs in speech", s.fsInSpeech, 0),
    le("fs noise families quiet", s.fsNoiseQuiet, 0),
    le("fs noise families speech", s.fsNoiseSpeech, 0),
    le("backchannel switch", s.bcSwitch, 0.02),
    le("flaps outside S4", s.flapsOutsideS4, 0),
    le("flaps S4 /min", s.flapsS4PerMin, 0.2),
    le("efficiency max", s.efficiency, 1.1),
    ge("efficiency min", s.efficiency, 1.0),
    ge("time accuracy", s.timeAccuracy, 0.96),
    ge("coloc >=6dB", s.coloc6, 0.98),
    ge("coloc 3dB", s.coloc3, 0.9),
  ];
}

/** Our own rows (including evidence@FILE candidates) and the oracles are not anchors. */
const ANCHOR_EXCLUDE = /^(evidence(@.*|-levels)?|loudest|oracle\+\d+|director \(real\))$/;

/**
 * Issue 4's relative bar: latency no worse than the fastest ROBUST anchor, false switches
 * and flaps no worse than the CALMEST anchor. An anchor that almost never cuts (efficiency
 * under 0.5, e.g. Janus at its defaults) is calm by doing nothing and is left out; robust
 * means at most 10 % false switches on speech-time transients and on backchannels.
 */
export interface RelativeCheck {
  metric: string;
  ours: number;
  anchor: string;
  value: number;
  ok: boolean;
  miss: number;
}

export function relativeChecks(ours: Summary, anchors: readonly Summary[]): RelativeCheck[] {
  const working = anchors.filter((r) => !ANCHOR_EXCLUDE.test(r.policy) && (r.efficiency ?? 0) >= 0.5);
  const robust = working.filter((r) => (r.fsInSpeech ?? 0) <= 0.1 && (r.bcSwitch ?? 0) <= 0.1);
  const out: RelativeCheck[] = [];
  const add = (metric: string, pool: readonly Summary[], get: (s: Summary) => number | null): void => {
    const v = get(ours);
    const best = pool.filter((r) => get(r) !== null).sort((a, b) => (get(a) ?? 0) - (get(b) ?? 0))[0];
    const bv = best ? get(best) : null;
    if (!best || v === null || bv === null) return;
    out.push({ metric, ours: v, anchor: best.policy, value: bv, ok: v <= bv + 1e-9, miss: Math.max(0, v - bv) });
  };
  add("lat free p50 ms", robust, (s) => s.latFreeP50);
  add("lat free p90 ms", robust, (s) => s.latFreeP90);
  add("lat quick p50 ms", robust, (s) => s.latQuickP50);
  add("lat quick p90 ms", robust, (s) => s.latQuickP90);
  add("fs click/kbd/door/clap", working, (s) => s.fsQuietNonCough);
  add("fs cough quiet", working, (s) => s.fsCoughQuiet);
  add("fs in speech", working, (s) => s.fsInSpeech);
  add("backchannel switch", working, (s) => s.bcSwitch);
  add("flaps outside S4", working, (s) => s.flapsOutsideS4);
  add("flaps S4 /min", working, (s) => s.flapsS4PerMin);
  return out;
}

export function compareWithAnchors(rows: readonly Summary[]): string[] {
  const ours = rows.find((r) => r.policy === "evidence");
  if (!ours) return [];
  return relativeChecks(ours, rows).map((c) => {
    const kind = c.metric.startsWith("lat") ? "fastest robust anchor" : "calmest anchor";
    return `${c.ok ? "ok  " : "MISS"} ${c.metric}: evidence ${+c.ours.toFixed(3)} vs ${kind} ${c.anchor} ${+c.value.toFixed(3)}`;
  });
}
