import "server-only";

import { ParticipantInfo_Kind, TrackSource, type ParticipantInfo, type Room } from "@livekit/protocol";
import { ATTR_LEVELS, isDirectorIdentity, parseLevelsAttr, type LevelsAttr } from "@/lib/director-state";
import { env, livekitHttpUrl } from "@/lib/env";
import { listParticipantsWithTimeout, listRoomsWithTimeout } from "@/lib/livekit/server";
import { parseProgram } from "@/lib/program";
import { channelOfRoom } from "@/lib/schemas";

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
  program: { identity: string; name: string | null; since: number; pinned: boolean } | null;
  director: boolean;
  participants: StatusParticipant[];
}

export interface Status {
  ok: boolean;
  livekit: { url: string; reachable: boolean; error?: string };
  channels: StatusChannel[];
  totals: { participants: number; channels: number };
}

/** Public status, read from LiveKit on every call so any number of app instances agree. */
export async function buildStatus(): Promise<Status> {
  const e = env();
  const url = livekitHttpUrl(e);
  let rooms: Room[];
  try {
    rooms = await listRoomsWithTimeout();
  } catch {
    return {
      ok: false,
      livekit: { url, reachable: false, error: "LiveKit did not answer" },
      channels: [],
      totals: { participants: 0, channels: 0 },
    };
  }

  const ours = rooms
    .map((room) => ({ room, channel: channelOfRoom(room.name) }))
    .filter((r): r is { room: Room; channel: number } => r.channel !== null)
    .sort((a, b) => a.channel - b.channel);

  const channels = await Promise.all(
    ours.map(async ({ room, channel }): Promise<StatusChannel | null> => {
      let infos: ParticipantInfo[];
      try {
        infos = await listParticipantsWithTimeout(room.name);
      } catch {
        return null; // the room closed between the two calls
      }
      const director = infos.find((p) => isDirectorIdentity(p.identity));
      const levels: LevelsAttr = parseLevelsAttr(director?.attributes[ATTR_LEVELS]);
      const participants = infos.filter(isVisibleParticipant).map((p) => toStatusParticipant(p, levels));
      const program = parseProgram(room.metadata);
      return {
        channel,
        room: room.name,
        program: program?.program
          ? { identity: program.program, name: program.name, since: program.since, pinned: program.pinned !== null }
          : null,
        director: director !== undefined,
        participants,
      };
    }),
  );

  const present = channels.filter((c): c is StatusChannel => c !== null && c.participants.length > 0);
  return {
    ok: true,
    livekit: { url, reachable: true },
    channels: present,
    totals: {
      participants: present.reduce((n, c) => n + c.participants.length, 0),
      channels: present.length,
    },
  };
}

export function isVisibleParticipant(p: ParticipantInfo): boolean {
  return !p.permission?.hidden && p.kind !== ParticipantInfo_Kind.AGENT && p.kind !== ParticipantInfo_Kind.EGRESS;
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
    joinedAt: Number(p.joinedAtMs || p.joinedAt * 1000n),
  };
}
