import "server-only";

import { ParticipantInfo_State, TrackSource, type ParticipantInfo } from "@livekit/protocol";
import { joinedAtMs, readChannels, type ChannelRead, type ChannelsRead } from "@/lib/channels";
import { VIEWER_IDENTITY_PREFIX } from "@/lib/livekit/grants";
import { roomReader } from "@/lib/livekit/server";
import {
  diffState,
  emptyState,
  TIMELINE_MS,
  type FriendsDecision,
  type FriendsEvent,
  type FriendsParticipant,
  type FriendsState,
  type FriendsViewer,
  type TrackState,
} from "./model";

/** 4 Hz: the director publishes levels every 250 ms; slower would drop some. */
export const POLL_MS = 250;

function trackState(p: ParticipantInfo, source: TrackSource): { state: TrackState; sid: string | null } {
  const t = p.tracks.find((x) => x.source === source);
  if (!t) return { state: "none", sid: null };
  return { state: t.muted ? "muted" : "live", sid: t.sid };
}

/** The director's own minimum shot length (SWITCH_DWELL_MS), as its debug record states it. */
function defaultShotLengthOf(c: ChannelRead): number | null {
  const v = c.director?.debug?.config.dwellMs;
  return typeof v === "number" ? v : null;
}

/** One read of every channel from LiveKit (and the director's attributes in it). */
export async function readFriendsState(now = Date.now()): Promise<FriendsState> {
  return friendsStateOf(await readChannels(roomReader(), now), now);
}

/** The /friends projection of the read model: channels with participants or viewers. */
export function friendsStateOf(read: ChannelsRead, now: number): FriendsState {
  const state = emptyState(now);
  state.livekit = read.reachable;
  for (const c of read.channels) {
    const quality = c.director?.quality ?? {};
    const participants: FriendsParticipant[] = c.people
      .map((p) => {
        const mic = trackState(p, TrackSource.MICROPHONE);
        return {
          identity: p.identity,
          name: p.name || p.identity,
          mic: mic.state,
          micSid: mic.sid,
          camera: trackState(p, TrackSource.CAMERA).state,
          quality: quality[p.identity] ?? "unknown",
          joinedAt: joinedAtMs(p),
        };
      })
      .sort((a, b) => a.joinedAt - b.joinedAt || a.identity.localeCompare(b.identity));
    const viewers: FriendsViewer[] = c.all
      .filter((p) => p.identity.startsWith(VIEWER_IDENTITY_PREFIX) && p.state !== ParticipantInfo_State.DISCONNECTED)
      .map((p) => ({ identity: p.identity, name: p.name || "Viewer", joinedAt: joinedAtMs(p) }))
      .sort((a, b) => a.joinedAt - b.joinedAt || a.identity.localeCompare(b.identity));
    // A channel with only viewers in it is shown too: they hold a place and the admin may remove them.
    if (participants.length === 0 && viewers.length === 0) continue;
    const program = c.program;
    state.channels[c.room] = {
      channel: c.channel,
      room: c.room,
      director: c.director !== null,
      program: program
        ? {
            identity: program.program,
            name: program.name,
            since: program.since,
            reason: program.reason,
            seq: program.seq,
            pinned: program.pinned,
            shot: program.shot,
          }
        : null,
      participants,
      viewers,
      roles: c.roles?.roles ?? {},
      shotLengthMs: c.shotLength?.ms ?? null,
      defaultShotLengthMs: defaultShotLengthOf(c),
    };
    const preview = c.director?.preview;
    if (preview) state.previews[c.room] = { identity: preview.identity, progress: preview.progress, at: preview.at };
    const visible = new Set(participants.map((p) => p.identity));
    state.levels[c.room] = Object.fromEntries(Object.entries(c.director?.levels ?? {}).filter(([id]) => visible.has(id)));
    const decisions: FriendsDecision[] = (c.director?.debug?.decisions ?? []).map((d) => ({ at: d.at, program: d.program, reason: d.reason, seq: d.seq }));
    const firstIn = decisions.findIndex((d) => d.at >= now - TIMELINE_MS);
    state.decisions[c.room] = firstIn < 0 ? decisions.slice(-1) : decisions.slice(Math.max(0, firstIn - 1));
    state.activity[c.room] = c.director?.log ?? [];
    if (c.director?.trend) state.trend[c.room] = c.director.trend;
  }
  return state;
}

type Listener = (ev: FriendsEvent, encoded: string) => void;

/**
 * One poller per app instance, whatever the number of open dashboards: it reads
 * LiveKit at 4 Hz while anyone listens, and sends each listener the patch from the
 * previous read (a new listener first gets a snapshot).
 */
class FriendsPoller {
  private readonly listeners = new Set<Listener>();
  private state: FriendsState | null = null;
  private timer: NodeJS.Timeout | null = null;
  private first: Promise<FriendsState> | null = null;
  /** Bumped on stop, so a read still in flight from a stopped loop is dropped. */
  private gen = 0;

  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.timer && !this.first) this.start();
    const state = this.state ?? (await this.first!);
    if (this.listeners.has(listener)) {
      const snap: FriendsEvent = { type: "snapshot", ...state };
      listener(snap, JSON.stringify(snap));
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private start(): void {
    const gen = this.gen;
    this.first = readFriendsState().then((s) => {
      if (gen === this.gen) {
        this.first = null;
        this.state = s;
        this.timer = setTimeout(() => void this.tick(gen), POLL_MS);
      }
      return s;
    });
  }

  private async tick(gen: number): Promise<void> {
    const started = Date.now();
    const next = await readFriendsState(started);
    if (gen !== this.gen) return;
    const patch = this.state ? diffState(this.state, next) : null;
    this.state = next;
    if (patch) {
      const encoded = JSON.stringify(patch);
      for (const l of this.listeners) l(patch, encoded);
    }
    if (this.listeners.size === 0) return this.stop();
    this.timer = setTimeout(() => void this.tick(gen), Math.max(0, POLL_MS - (Date.now() - started)));
  }

  private stop(): void {
    this.gen++;
    this.first = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state = null;
  }
}

const g = globalThis as unknown as { __ccFriendsPoller?: FriendsPoller };
export function friendsPoller(): FriendsPoller {
  g.__ccFriendsPoller ??= new FriendsPoller();
  return g.__ccFriendsPoller;
}
