import "server-only";

import { ParticipantInfo_Kind, type ParticipantInfo } from "@livekit/protocol";
import { ATTR_DEBUG, isDirectorIdentity, parseDebugAttr, type DebugAttr } from "@/lib/director-state";
import { env, livekitHttpUrl, rawEnv } from "@/lib/env";
import { listParticipantsWithTimeout, listRoomsWithTimeout } from "@/lib/livekit/server";
import { parseProgram, type ProgramState } from "@/lib/program";
import { channelOfRoom } from "@/lib/schemas";
import { describeSwitchConfig, parseSwitchConfig, type SwitchSettingRow } from "@/lib/switching/config";

export interface DebugRoom {
  channel: number;
  room: string;
  program: ProgramState | null;
  director: DebugAttr | null;
  /** identities LiveKit lists in the room (hidden ones included), with their kind */
  livekitParticipants: { identity: string; name: string; kind: string; hidden: boolean }[];
}

export interface DebugBody {
  at: number;
  livekit: { url: string; reachable: boolean; apiRttMs: number | null; rooms: number };
  /**
   * The switch settings with their defaults, as this app instance's environment sets
   * them; each room's director record (below) carries the config it actually runs.
   */
  switchConfig: SwitchSettingRow[];
  directors: { rooms: number; cpuPercent: number; rssMb: number; eventLagMsMax: number };
  rooms: DebugRoom[];
}

const KIND_NAMES: Record<number, string> = {
  [ParticipantInfo_Kind.STANDARD]: "standard",
  [ParticipantInfo_Kind.AGENT]: "agent",
  [ParticipantInfo_Kind.EGRESS]: "egress",
  [ParticipantInfo_Kind.INGRESS]: "ingress",
  [ParticipantInfo_Kind.SIP]: "sip",
};

/** Everything the director published, read from LiveKit; no secrets by construction. */
export async function buildDebug(): Promise<DebugBody> {
  const url = livekitHttpUrl(env());
  const t0 = performance.now();
  let rooms;
  try {
    rooms = await listRoomsWithTimeout();
  } catch {
    rooms = null;
  }
  const apiRttMs = rooms ? Math.round((performance.now() - t0) * 10) / 10 : null;
  const ours = (rooms ?? []).filter((r) => channelOfRoom(r.name) !== null);

  const debugRooms = (
    await Promise.all(
      ours.map(async (room): Promise<DebugRoom | null> => {
        let infos: ParticipantInfo[];
        try {
          infos = await listParticipantsWithTimeout(room.name);
        } catch {
          return null;
        }
        const director = infos.find((p) => isDirectorIdentity(p.identity));
        return {
          channel: channelOfRoom(room.name)!,
          room: room.name,
          program: parseProgram(room.metadata),
          director: parseDebugAttr(director?.attributes[ATTR_DEBUG]),
          livekitParticipants: infos.map((p) => ({
            identity: p.identity,
            name: p.name,
            kind: KIND_NAMES[p.kind] ?? String(p.kind),
            hidden: p.permission?.hidden ?? false,
          })),
        };
      }),
    )
  )
    .filter((r): r is DebugRoom => r !== null)
    .sort((a, b) => a.channel - b.channel);

  const healths = debugRooms.map((r) => r.director?.health).filter((h) => h !== undefined);
  return {
    at: Date.now(),
    livekit: { url, reachable: rooms !== null, apiRttMs, rooms: ours.length },
    switchConfig: describeSwitchConfig(safeSwitchConfig()),
    directors: {
      rooms: healths.length,
      // One job process per room: the sums are the director's total footprint.
      cpuPercent: Math.round(healths.reduce((n, h) => n + h.cpuPercent, 0) * 10) / 10,
      rssMb: Math.round(healths.reduce((n, h) => n + h.rssMb, 0) * 10) / 10,
      eventLagMsMax: healths.reduce((n, h) => Math.max(n, h.eventLagMaxMs), 0),
    },
    rooms: debugRooms,
  };
}

function safeSwitchConfig() {
  try {
    return parseSwitchConfig(rawEnv());
  } catch {
    // A bad SWITCH_* value is the director's start-up error to report; show defaults.
    return parseSwitchConfig({});
  }
}
