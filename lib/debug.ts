import "server-only";

import { ParticipantInfo_Kind } from "@livekit/protocol";
import { readChannels, type ChannelsRead } from "@/lib/channels";
import { env, livekitHttpUrl, rawEnv } from "@/lib/env";
import { roomReader } from "@/lib/livekit/server";
import type { DebugAttr, ProgramState } from "@/lib/room-state";
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
  return debugOf(await readChannels(roomReader()), livekitHttpUrl(env()));
}

/** The /debug projection of the read model: every channel room, hidden participants included. */
export function debugOf(read: ChannelsRead, url: string): DebugBody {
  const debugRooms: DebugRoom[] = read.channels.map((c) => ({
    channel: c.channel,
    room: c.room,
    program: c.program,
    director: c.director?.debug ?? null,
    livekitParticipants: c.all.map((p) => ({
      identity: p.identity,
      name: p.name,
      kind: KIND_NAMES[p.kind] ?? String(p.kind),
      hidden: p.permission?.hidden ?? false,
    })),
  }));
  const healths = debugRooms.map((r) => r.director?.health).filter((h) => h !== undefined);
  return {
    at: read.at,
    livekit: { url, reachable: read.reachable, apiRttMs: read.apiRttMs, rooms: read.channels.length },
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
