import "server-only";

import { ParticipantInfo_State, TrackSource, type ParticipantInfo, type Room } from "@livekit/protocol";
import {
  ATTR_DEBUG,
  ATTR_LEVELS,
  ATTR_LOG,
  ATTR_QUALITY,
  ATTR_TREND,
  isDirectorIdentity,
  parseDebugAttr,
  parseLevelsAttr,
  parseLogAttr,
  parseQualityAttr,
  parseTrendAttr,
  type DebugAttr,
} from "@/lib/director-state";
import { VIEWER_IDENTITY_PREFIX } from "@/lib/livekit/grants";
import { listParticipantsWithTimeout, listRoomsWithTimeout } from "@/lib/livekit/server";
import { parseProgram } from "@/lib/program";
import { channelOfRoom } from "@/lib/schemas";
import { isVisibleParticipant } from "@/lib/status";
import {
  diffState,
  emptyState,
  TIMELINE_MS,
  type FriendsChannel,
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

// The director's debug record is large and changes once a second; parse a given
// string once.
const debugCache = new Map<string, { raw: string; parsed: DebugAttr | null }>();
function debugOf(room: string, raw: string | undefined): DebugAttr | null {
  if (!raw) return null;
  const hit = debugCache.get(room);
  if (hit?.raw === raw) return hit.parsed;
  const parsed = parseDebugAttr(raw);
  debugCache.set(room, { raw, parsed });
  return parsed;
}

/** One read of every channel from LiveKit (and the director's attributes in it). */
export async function readFriendsState(now = Date.now()): Promise<FriendsState> {
  const state = emptyState(now);
  let rooms: Room[];
  try {
    rooms = await listRoomsWithTimeout();
  } catch {
    state.livekit = false;
    return state;
  }
  const ours = rooms.filter((r) => channelOfRoom(r.name) !== null);
  await Promise.all(
    ours.map(async (room) => {
      let infos: ParticipantInfo[];
      try {
        infos = await listParticipantsWithTimeout(room.name);
      } catch {
        return; // closed between the two calls
      }
      const director = infos.find((p) => isDirectorIdentity(p.identity));
      const attrs = director?.attributes ?? {};
      const quality = parseQualityAttr(attrs[ATTR_QUALITY]);
      const participants: FriendsParticipant[] = infos
        .filter(isVisibleParticipant)
        .map((p) => {
          const mic = trackState(p, TrackSource.MICROPHONE);
          return {
            identity: p.identity,
            name: p.name || p.identity,
            mic: mic.state,
            micSid: mic.sid,
            camera: trackState(p, TrackSource.CAMERA).state,
            quality: quality[p.identity] ?? "unknown",
            joinedAt: Number(p.joinedAtMs || p.joinedAt * 1000n),
          };
        })
        .sort((a, b) => a.joinedAt - b.joinedAt || a.identity.localeCompare(b.identity));
      const viewers: FriendsViewer[] = infos
        .filter((p) => p.identity.startsWith(VIEWER_IDENTITY_PREFIX) && p.state !== ParticipantInfo_State.DISCONNECTED)
        .map((p) => ({ identity: p.identity, name: p.name || "Viewer", joinedAt: Number(p.joinedAtMs || p.joinedAt * 1000n) }))
        .sort((a, b) => a.joinedAt - b.joinedAt || a.identity.localeCompare(b.identity));
      // A channel with only viewers in it is shown too: they hold a place and the admin may remove them.
      if (participants.length === 0 && viewers.length === 0) return;
      const program = parseProgram(room.metadata);
      const channel: FriendsChannel = {
        channel: channelOfRoom(room.name)!,
        room: room.name,
        director: director !== undefined,
        program: program
          ? { identity: program.program, name: program.name, since: program.since, reason: program.reason, seq: program.seq, pinned: program.pinned }
          : null,
        participants,
        viewers,
      };
      state.channels[room.name] = channel;
      const visible = new Set(participants.map((p) => p.identity));
      state.levels[room.name] = Object.fromEntries(
        Object.entries(parseLevelsAttr(attrs[ATTR_LEVELS])).filter(([id]) => visible.has(id)),
      );
      const debug = debugOf(room.name, attrs[ATTR_DEBUG]);
      const decisions: FriendsDecision[] = (debug?.decisions ?? []).map((d) => ({ at: d.at, program: d.program, reason: d.reason, seq: d.seq }));
      const firstIn = decisions.findIndex((d) => d.at >= now - TIMELINE_MS);
      state.decisions[room.name] = firstIn < 0 ? decisions.slice(-1) : decisions.slice(Math.max(0, firstIn - 1));
      state.activity[room.name] = parseLogAttr(attrs[ATTR_LOG]);
      const trend = parseTrendAttr(attrs[ATTR_TREND]);
      if (trend) state.trend[room.name] = trend;
    }),
  );
  for (const room of debugCache.keys()) if (!state.channels[room]) debugCache.delete(room);
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
