/**
 * At most one director per room. LiveKit dispatches one job per dispatch, but a
 * reconciliation by two director processes at once, or a restart while the crashed
 * director's participant still lingers, can put two in a room. Every director checks:
 * a director whose heartbeat is stale is removed; among the live ones the smallest
 * identity stays and the others leave. Every director reaches the same verdict.
 */
import type { ParticipantInfo, RoomServiceClient } from "livekit-server-sdk";
import { ATTR_HEARTBEAT, isDirectorIdentity } from "@/lib/room-state";

export const STALE_MS = 6000;

export function lastSign(p: ParticipantInfo): number {
  const hb = Number(p.attributes[ATTR_HEARTBEAT] ?? "");
  if (Number.isFinite(hb) && hb > 0) return hb;
  return Number(p.joinedAtMs || p.joinedAt * 1000n);
}

/** Pure verdict: which directors are stale, and whether `self` should stay. */
export function verdict(participants: ParticipantInfo[], self: string, now: number): { stale: string[]; stay: boolean } {
  const directors = participants.filter((p) => isDirectorIdentity(p.identity));
  const stale = directors.filter((p) => p.identity !== self && now - lastSign(p) > STALE_MS).map((p) => p.identity);
  const live = directors
    .filter((p) => p.identity === self || !stale.includes(p.identity))
    .map((p) => p.identity)
    .sort();
  return { stale, stay: live.length === 0 || live[0] === self };
}

export async function checkDuplicates(
  rooms: RoomServiceClient,
  room: string,
  self: string,
  log: (msg: string, f?: Record<string, unknown>) => void,
): Promise<boolean> {
  const participants = await rooms.listParticipants(room);
  const { stale, stay } = verdict(participants, self, Date.now());
  for (const identity of stale) {
    log("removing a stale director", { room, identity });
    await rooms.removeParticipant(room, identity).catch((err: unknown) => log("could not remove the stale director", { room, identity, error: String(err) }));
  }
  return stay;
}
