/**
 * The /friends dashboard's data: what the server streams (a snapshot, then patches
 * with only what changed) and how the browser applies it. Pure and shared by the
 * SSE route (lib/friends/poller.ts) and the dashboard (components/friends/).
 */
import type { Activity, LevelsAttr, Quality, Shot, TrendAttr } from "@/lib/room-state";

export type TrackState = "live" | "muted" | "none";

export interface FriendsParticipant {
  identity: string;
  name: string;
  mic: TrackState;
  /** the microphone's track sid, for the mute action */
  micSid: string | null;
  camera: TrackState;
  quality: Quality;
  /** ms since the epoch */
  joinedAt: number;
}

/** A hidden viewer (projector, OBS, a preview tab): admins see and may remove them. */
export interface FriendsViewer {
  identity: string;
  name: string;
  /** ms since the epoch */
  joinedAt: number;
}

export interface FriendsProgram {
  identity: string | null;
  name: string | null;
  since: number;
  reason: string;
  seq: number;
  pinned: string | null;
  /** "wide": screens show the channel's grid (identity keeps the last speaker) */
  shot: Shot;
}

/** The director's preview lane: who it is gathering evidence for, and how far (0..1). */
export interface FriendsPreview {
  identity: string | null;
  progress: number;
  /** ms since the epoch, the director's */
  at: number;
}

export interface FriendsChannel {
  channel: number;
  room: string;
  /** a director is in the room */
  director: boolean;
  program: FriendsProgram | null;
  /** oldest first */
  participants: FriendsParticipant[];
  /** hidden viewers, oldest first */
  viewers: FriendsViewer[];
  /** identity -> the admin's director role; anyone absent is "auto" */
  roles: Record<string, "favor" | "never">;
  /** the admin's minimum shot length in ms, null for the director's default */
  shotLengthMs: number | null;
  /** the director's default (its SWITCH_DWELL_MS, from its debug record), null when unknown */
  defaultShotLengthMs: number | null;
}

export interface FriendsDecision {
  at: number;
  program: string | null;
  reason: string;
  seq: number;
}

/** The full state of every channel, as the server holds it after one poll. */
export interface FriendsState {
  at: number;
  livekit: boolean;
  channels: Record<string, FriendsChannel>;
  /** room -> identity -> [dBov, speaking] */
  levels: Record<string, LevelsAttr>;
  /** room -> the director's decisions of the last 2 minutes, oldest first */
  decisions: Record<string, FriendsDecision[]>;
  /** room -> the activity log, oldest first */
  activity: Record<string, Activity[]>;
  /** room -> 2 minutes of levels per participant (only sent in snapshots) */
  trend: Record<string, TrendAttr>;
  /** room -> the director's preview lane, for channels whose director publishes one */
  previews: Record<string, FriendsPreview>;
}

export type FriendsSnapshot = { type: "snapshot" } & FriendsState;

/** Only what changed since the previous update; absent keys did not change. */
export interface FriendsPatch {
  type: "patch";
  at: number;
  livekit?: boolean;
  /** a channel's new meta (its program included), or null when it closed */
  channels?: Record<string, FriendsChannel | null>;
  /** only the program, for channels whose participants did not change (the common case) */
  programs?: Record<string, FriendsProgram | null>;
  /** changed levels only */
  levels?: Record<string, LevelsAttr>;
  /** decisions newer than the last ones sent */
  decisions?: Record<string, FriendsDecision[]>;
  /** activity entries not sent before */
  activity?: Record<string, Activity[]>;
  /** changed preview lanes; null when a channel's went away */
  previews?: Record<string, FriendsPreview | null>;
}

export type FriendsEvent = FriendsSnapshot | FriendsPatch;

export const TIMELINE_MS = 2 * 60 * 1000;

export function emptyState(at = 0): FriendsState {
  return { at, livekit: true, channels: {}, levels: {}, decisions: {}, activity: {}, trend: {}, previews: {} };
}

function sameMembers(a: FriendsChannel | undefined, b: FriendsChannel | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.director === b.director &&
    a.shotLengthMs === b.shotLengthMs &&
    a.defaultShotLengthMs === b.defaultShotLengthMs &&
    JSON.stringify(a.roles) === JSON.stringify(b.roles) &&
    JSON.stringify(a.participants) === JSON.stringify(b.participants) &&
    JSON.stringify(a.viewers) === JSON.stringify(b.viewers)
  );
}

const activityKey = (a: Activity) => `${a.at}|${a.kind}|${a.identity ?? ""}|${a.detail ?? ""}`;

/** The patch that turns `prev` into `next`; null when nothing changed. */
export function diffState(prev: FriendsState, next: FriendsState): FriendsPatch | null {
  const patch: FriendsPatch = { type: "patch", at: next.at };
  let changed = false;
  if (prev.livekit !== next.livekit) {
    patch.livekit = next.livekit;
    changed = true;
  }
  const channels: Record<string, FriendsChannel | null> = {};
  const programs: Record<string, FriendsProgram | null> = {};
  for (const room of new Set([...Object.keys(prev.channels), ...Object.keys(next.channels)])) {
    const p = prev.channels[room];
    const n = next.channels[room];
    if (!sameMembers(p, n)) channels[room] = n ?? null;
    else if (n && JSON.stringify(p?.program) !== JSON.stringify(n.program)) programs[room] = n.program;
  }
  if (Object.keys(channels).length) {
    patch.channels = channels;
    changed = true;
  }
  if (Object.keys(programs).length) {
    patch.programs = programs;
    changed = true;
  }
  const levels: Record<string, LevelsAttr> = {};
  for (const [room, lv] of Object.entries(next.levels)) {
    const before = prev.levels[room] ?? {};
    const delta: LevelsAttr = {};
    for (const [id, v] of Object.entries(lv)) {
      const b = before[id];
      if (!b || b[0] !== v[0] || b[1] !== v[1]) delta[id] = v;
    }
    if (Object.keys(delta).length) levels[room] = delta;
  }
  if (Object.keys(levels).length) {
    patch.levels = levels;
    changed = true;
  }
  const decisions: Record<string, FriendsDecision[]> = {};
  for (const [room, list] of Object.entries(next.decisions)) {
    const lastSeq = prev.decisions[room]?.at(-1)?.seq ?? -1;
    const fresh = list.filter((d) => d.seq > lastSeq);
    if (fresh.length) decisions[room] = fresh;
  }
  if (Object.keys(decisions).length) {
    patch.decisions = decisions;
    changed = true;
  }
  const activity: Record<string, Activity[]> = {};
  for (const [room, list] of Object.entries(next.activity)) {
    const seen = new Set((prev.activity[room] ?? []).map(activityKey));
    const fresh = list.filter((a) => !seen.has(activityKey(a)));
    if (fresh.length) activity[room] = fresh;
  }
  if (Object.keys(activity).length) {
    patch.activity = activity;
    changed = true;
  }
  const previews: Record<string, FriendsPreview | null> = {};
  for (const room of new Set([...Object.keys(prev.previews), ...Object.keys(next.previews)])) {
    const p = prev.previews[room];
    const n = next.previews[room];
    if (JSON.stringify(p) !== JSON.stringify(n)) previews[room] = n ?? null;
  }
  if (Object.keys(previews).length) {
    patch.previews = previews;
    changed = true;
  }
  return changed ? patch : null;
}

/** The browser's copy: the state plus its own 4 Hz level history per participant. */
export interface ClientState extends FriendsState {
  /** room -> identity -> samples (dBov) every SAMPLE_MS, oldest first, at most TIMELINE_MS long */
  samples: Record<string, Record<string, number[]>>;
  /** the time of the last sample */
  sampledAt: number;
}

export const SAMPLE_MS = 250;
export const MAX_SAMPLES = TIMELINE_MS / SAMPLE_MS;

export function emptyClientState(): ClientState {
  return { ...emptyState(), samples: {}, sampledAt: 0 };
}

function decodeTrend(b64: string): number[] {
  const bin = atob(b64);
  const out: number[] = [];
  // Trend buckets are 500 ms; samples are 250 ms: each bucket fills two samples.
  for (let i = 0; i < bin.length; i++) out.push(bin.charCodeAt(i), bin.charCodeAt(i));
  return out;
}

function cutDecisions(list: FriendsDecision[], now: number): FriendsDecision[] {
  // Keep the last decision before the window: it says who was on program at its start.
  const firstIn = list.findIndex((d) => d.at >= now - TIMELINE_MS);
  if (firstIn <= 0) return firstIn < 0 ? list.slice(-1) : list;
  return list.slice(firstIn - 1);
}

/** Apply one event from the stream. Returns a new object for each changed part (React-friendly). */
export function applyEvent(state: ClientState, ev: FriendsEvent): ClientState {
  if (ev.type === "snapshot") {
    const samples: ClientState["samples"] = {};
    for (const [room, trend] of Object.entries(ev.trend)) {
      samples[room] = {};
      for (const [id, b64] of Object.entries(trend.levels)) samples[room][id] = decodeTrend(b64).slice(-MAX_SAMPLES);
    }
    return { ...ev, samples, sampledAt: ev.at };
  }
  const next: ClientState = { ...state, at: ev.at };
  if (ev.livekit !== undefined) next.livekit = ev.livekit;
  if (ev.channels) {
    next.channels = { ...state.channels };
    next.levels = { ...state.levels };
    next.samples = { ...state.samples };
    next.decisions = { ...state.decisions };
    next.activity = { ...state.activity };
    next.previews = { ...state.previews };
    for (const [room, ch] of Object.entries(ev.channels)) {
      if (ch) {
        next.channels[room] = ch;
        // Forget levels of participants who left.
        const ids = new Set(ch.participants.map((p) => p.identity));
        const lv = next.levels[room];
        if (lv && Object.keys(lv).some((id) => !ids.has(id))) {
          next.levels[room] = Object.fromEntries(Object.entries(lv).filter(([id]) => ids.has(id)));
        }
      } else {
        delete next.channels[room];
        delete next.levels[room];
        delete next.samples[room];
        delete next.decisions[room];
        delete next.activity[room];
        delete next.previews[room];
      }
    }
  }
  if (ev.programs) {
    if (next.channels === state.channels) next.channels = { ...state.channels };
    for (const [room, program] of Object.entries(ev.programs)) {
      const ch = next.channels[room];
      if (ch) next.channels[room] = { ...ch, program };
    }
  }
  if (ev.previews) {
    next.previews = { ...next.previews };
    for (const [room, preview] of Object.entries(ev.previews)) {
      if (preview) next.previews[room] = preview;
      else delete next.previews[room];
    }
  }
  if (ev.levels) {
    next.levels = { ...next.levels };
    for (const [room, delta] of Object.entries(ev.levels)) next.levels[room] = { ...next.levels[room], ...delta };
  }
  if (ev.decisions) {
    next.decisions = { ...next.decisions };
    for (const [room, list] of Object.entries(ev.decisions)) {
      next.decisions[room] = cutDecisions([...(next.decisions[room] ?? []), ...list], ev.at);
    }
  }
  if (ev.activity) {
    next.activity = { ...next.activity };
    for (const [room, list] of Object.entries(ev.activity)) {
      next.activity[room] = [...(next.activity[room] ?? []), ...list].slice(-100);
    }
  }
  return next;
}

/**
 * Advance the browser's level history to `now`, one sample per SAMPLE_MS per
 * participant, from the latest levels. Called on a 4 Hz clock, not per event, so the
 * sparklines move at a steady pace whatever the network does.
 */
export function sampleLevels(state: ClientState, now: number): ClientState {
  if (state.sampledAt === 0) return { ...state, sampledAt: now };
  const steps = Math.min(MAX_SAMPLES, Math.floor((now - state.sampledAt) / SAMPLE_MS));
  if (steps <= 0) return state;
  const samples: ClientState["samples"] = {};
  for (const [room, ch] of Object.entries(state.channels)) {
    const prevRoom = state.samples[room] ?? {};
    const lv = state.levels[room] ?? {};
    const roomOut: Record<string, number[]> = {};
    for (const p of ch.participants) {
      const level = p.mic === "live" ? (lv[p.identity]?.[0] ?? 127) : 127;
      const list = (prevRoom[p.identity] ?? []).concat(Array<number>(steps).fill(level));
      roomOut[p.identity] = list.length > MAX_SAMPLES ? list.slice(-MAX_SAMPLES) : list;
    }
    samples[room] = roomOut;
  }
  return { ...state, samples, sampledAt: state.sampledAt + steps * SAMPLE_MS };
}
