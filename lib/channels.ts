/**
 * The server's one read model of the channels: one `listRooms`, then one
 * `listParticipants` per channel room (1 + N LiveKit API calls), with the room
 * metadata and the director's attributes parsed once (lib/room-state.ts). /status,
 * /debug and /friends are projections of it (lib/status.ts, lib/debug.ts,
 * lib/friends/poller.ts). No `server-only` here so the tests can drive it with a
 * counting reader; the app's reader (lib/livekit/server.ts roomReader) holds the keys.
 */
import type { ParticipantInfo, Room } from "@livekit/protocol";
import {
  ATTR_DEBUG,
  ATTR_LEVELS,
  ATTR_LOG,
  ATTR_PREVIEW,
  ATTR_QUALITY,
  ATTR_TREND,
  isDirectorIdentity,
  isPerson,
  parseDebugAttr,
  parseLevelsAttr,
  parseLogAttr,
  parsePreviewAttr,
  parseProgram,
  parseQualityAttr,
  parseRoles,
  parseShotLength,
  parseTrendAttr,
  type Activity,
  type DebugAttr,
  type LevelsAttr,
  type PreviewAttr,
  type ProgramState,
  type Quality,
  type Roles,
  type ShotLength,
  type TrendAttr,
} from "@/lib/room-state";
import { channelOfRoom } from "@/lib/schemas";

/** The two LiveKit calls the read model makes (RoomServiceClient's, with a timeout). */
export interface RoomReader {
  listRooms(): Promise<Room[]>;
  listParticipants(room: string): Promise<ParticipantInfo[]>;
}

/** What the room's director published in its attributes, parsed. */
export interface DirectorRead {
  identity: string;
  levels: LevelsAttr;
  quality: Record<string, Quality>;
  log: Activity[];
  trend: TrendAttr | null;
  debug: DebugAttr | null;
  /** the candidate it is gathering evidence for (the preview lane), null when it publishes none */
  preview: PreviewAttr | null;
}

export interface ChannelRead {
  channel: number;
  room: string;
  /** the director's program, its `shot` included */
  program: ProgramState | null;
  /** the admin's director roles (room metadata `roles`), null when none was ever set */
  roles: Roles | null;
  /** the admin's minimum shot length (room metadata `shotLength`), null when never set */
  shotLength: ShotLength | null;
  /** every participant LiveKit lists in the room, hidden ones included, as LiveKit lists them */
  all: ParticipantInfo[];
  /** the people (lib/room-state.ts isPerson), in LiveKit's order */
  people: ParticipantInfo[];
  director: DirectorRead | null;
}

export interface ChannelsRead {
  /** ms since the epoch when the read started */
  at: number;
  reachable: boolean;
  /** listRooms' round trip, null when LiveKit did not answer */
  apiRttMs: number | null;
  /** channel rooms whose participants could be read, by channel number */
  channels: ChannelRead[];
}

// The director's debug record is large and changes once a second; parse a given
// string once (per room; forgotten when the room is gone).
const debugCache = new Map<string, { raw: string; parsed: DebugAttr | null }>();
function debugOf(room: string, raw: string | undefined): DebugAttr | null {
  if (!raw) return null;
  const hit = debugCache.get(room);
  if (hit?.raw === raw) return hit.parsed;
  const parsed = parseDebugAttr(raw);
  debugCache.set(room, { raw, parsed });
  return parsed;
}

function directorOf(room: string, all: ParticipantInfo[]): DirectorRead | null {
  const p = all.find((x) => isDirectorIdentity(x.identity));
  if (!p) return null;
  const a = p.attributes;
  return {
    identity: p.identity,
    levels: parseLevelsAttr(a[ATTR_LEVELS]),
    quality: parseQualityAttr(a[ATTR_QUALITY]),
    log: parseLogAttr(a[ATTR_LOG]),
    trend: parseTrendAttr(a[ATTR_TREND]),
    debug: debugOf(room, a[ATTR_DEBUG]),
    preview: parsePreviewAttr(a[ATTR_PREVIEW]),
  };
}

/** One read of every channel room. Never throws: LiveKit down is `reachable: false`. */
export async function readChannels(reader: RoomReader, now = Date.now()): Promise<ChannelsRead> {
  const t0 = performance.now();
  let rooms: Room[];
  try {
    rooms = await reader.listRooms();
  } catch {
    return { at: now, reachable: false, apiRttMs: null, channels: [] };
  }
  const apiRttMs = Math.round((performance.now() - t0) * 10) / 10;
  const read = await Promise.all(
    rooms.map(async (room): Promise<ChannelRead | null> => {
      const channel = channelOfRoom(room.name);
      if (channel === null) return null;
      let all: ParticipantInfo[];
      try {
        all = await reader.listParticipants(room.name);
      } catch {
        return null; // the room closed between the two calls
      }
      return {
        channel,
        room: room.name,
        program: parseProgram(room.metadata),
        roles: parseRoles(room.metadata),
        shotLength: parseShotLength(room.metadata),
        all,
        people: all.filter(isPerson),
        director: directorOf(room.name, all),
      };
    }),
  );
  const channels = read.filter((c): c is ChannelRead => c !== null).sort((a, b) => a.channel - b.channel);
  for (const room of debugCache.keys()) if (!channels.some((c) => c.room === room)) debugCache.delete(room);
  return { at: now, reachable: true, apiRttMs, channels };
}

/** When a participant joined, in ms since the epoch. */
export function joinedAtMs(p: ParticipantInfo): number {
  return Number(p.joinedAtMs || p.joinedAt * 1000n);
}

/**
 * A read shared by every caller: one read in flight at a time, and its result kept for
 * `maxAgeMs` after it arrives. Any number of concurrent /status requests cost one read
 * of LiveKit (1 + N API calls), not one each. A failed read is not kept.
 */
export class SharedRead<T> {
  private last: { value: Promise<T>; doneAt: number | null } | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const last = this.last;
    if (last && (last.doneAt === null || this.clock() - last.doneAt < this.maxAgeMs)) return last.value;
    const entry: { value: Promise<T>; doneAt: number | null } = { value: this.read(), doneAt: null };
    this.last = entry;
    entry.value.then(
      () => {
        entry.doneAt = this.clock();
      },
      () => {
        if (this.last === entry) this.last = null;
      },
    );
    return entry.value;
  }
}
