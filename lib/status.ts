import "server-only";

import { TrackSource, type ParticipantInfo } from "@livekit/protocol";
import { joinedAtMs, readChannels, SharedRead, type ChannelsRead } from "@/lib/channels";
import { env, livekitHttpUrl } from "@/lib/env";
import { roomReader } from "@/lib/livekit/server";
import type { LevelsAttr, Shot } from "@/lib/room-state";

export interface StatusParticipant {
  identity: string;
  name: string;
  muted: boolean;
  camera: boolean;
  microphone: boolean;
  speaking: boolean;
  /** dBov 0..127 from the director; null when no director reports this participant */
  level: number | null;
  joinedAt: number;
}

export interface StatusChannel {
  channel: number;
  room: string;
  /** `shot`: "wide" while screens show the grid (identity is then the last speaker) */
  program: { identity: string; name: string | null; since: number; pinned: boolean; shot: Shot } | null;
  director: boolean;
  participants: StatusParticipant[];
}

export interface Status {
  ok: boolean;
  livekit: { url: string; reachable: boolean; error?: string };
  channels: StatusChannel[];
  totals: { participants: number; channels: number };
}

/**
 * How long one read of LiveKit answers /status. Anyone may poll /status, and each
 * read costs 1 + N LiveKit API calls; with this, any request rate costs at most one
 * read in flight and about four a second. The director publishes levels every 250 ms,
 * so a poller sees nothing older than it would anyway.
 */
export const STATUS_MAX_AGE_MS = 250;

const g = globalThis as unknown as { __ccStatusRead?: SharedRead<ChannelsRead> };

/** Public status, read from LiveKit (shared briefly, see STATUS_MAX_AGE_MS) so any number of app instances agree. */
export async function buildStatus(): Promise<Status> {
  g.__ccStatusRead ??= new SharedRead(() => readChannels(roomReader()), STATUS_MAX_AGE_MS);
  return statusOf(await g.__ccStatusRead.get(), livekitHttpUrl(env()));
}

/** The /status projection of the read model: channels with people in them. */
export function statusOf(read: ChannelsRead, url: string): Status {
  if (!read.reachable) {
    return {
      ok: false,
      livekit: { url, reachable: false, error: "LiveKit did not answer" },
      channels: [],
      totals: { participants: 0, channels: 0 },
    };
  }
  const channels: StatusChannel[] = read.channels
    .filter((c) => c.people.length > 0)
    .map((c) => ({
      channel: c.channel,
      room: c.room,
      program: c.program?.program
        ? { identity: c.program.program, name: c.program.name, since: c.program.since, pinned: c.program.pinned !== null, shot: c.program.shot }
        : null,
      director: c.director !== null,
      participants: c.people.map((p) => toStatusParticipant(p, c.director?.levels ?? {})),
    }));
  return {
    ok: true,
    livekit: { url, reachable: true },
    channels,
    totals: { participants: channels.reduce((n, c) => n + c.participants.length, 0), channels: channels.length },
  };
}

function toStatusParticipant(p: ParticipantInfo, levels: LevelsAttr): StatusParticipant {
  const mic = p.tracks.find((t) => t.source === TrackSource.MICROPHONE);
  const cam = p.tracks.find((t) => t.source === TrackSource.CAMERA);
  const microphone = mic !== undefined && !mic.muted;
  const reported = levels[p.identity];
  return {
    identity: p.identity,
    name: p.name,
    muted: !microphone,
    camera: cam !== undefined && !cam.muted,
    microphone,
    speaking: reported ? reported[1] === 1 : false,
    level: reported ? reported[0] : null,
    joinedAt: joinedAtMs(p),
  };
}
