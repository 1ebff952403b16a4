import "server-only";

import {
  AccessToken,
  RoomAgentDispatch,
  RoomConfiguration,
  RoomServiceClient,
  type ParticipantInfo,
  type Room,
} from "livekit-server-sdk";
import type { RoomReader } from "@/lib/channels";
import { env, livekitHttpUrl } from "@/lib/env";
import type { Role } from "@/lib/schemas";
import { participantGrant, viewerGrant } from "./grants";

let client: RoomServiceClient | undefined;

export function roomService(): RoomServiceClient {
  const e = env();
  client ??= new RoomServiceClient(livekitHttpUrl(e), e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET);
  return client;
}

export async function mintToken(opts: {
  role: Role;
  room: string;
  identity: string;
  name: string;
  /** LiveKit's own room limit, applied when this token creates the room. */
  maxParticipants?: number;
}): Promise<string> {
  const e = env();
  const at = new AccessToken(e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET, {
    identity: opts.identity,
    name: opts.name,
    ttl: e.TOKEN_TTL_SECONDS,
  });
  at.addGrant(opts.role === "viewer" ? viewerGrant(opts.room) : participantGrant(opts.room));
  // Whoever creates the room dispatches the director to it through LiveKit's agent
  // dispatch; the director's reconciliation loop covers rooms created any other way.
  at.roomConfig = new RoomConfiguration({
    agents: [new RoomAgentDispatch({ agentName: e.DIRECTOR_AGENT_NAME })],
    ...(opts.maxParticipants ? { maxParticipants: opts.maxParticipants } : {}),
  });
  return at.toJwt();
}

/** Is LiveKit answering? A short timeout so /status never hangs on a dead server. */
export async function listRoomsWithTimeout(ms = 2000): Promise<Room[]> {
  return withTimeout(roomService().listRooms(), ms);
}

export async function listParticipantsWithTimeout(room: string, ms = 2000): Promise<ParticipantInfo[]> {
  return withTimeout(roomService().listParticipants(room), ms);
}

/** The read model's reader (lib/channels.ts): this app's LiveKit, with the short timeouts. */
export function roomReader(): RoomReader {
  return { listRooms: () => listRoomsWithTimeout(), listParticipants: (room) => listParticipantsWithTimeout(room) };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`livekit did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
