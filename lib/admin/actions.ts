import "server-only";

import { after } from "next/server";
import { DataPacket_Kind, TrackSource, type ParticipantInfo } from "@livekit/protocol";
import { ApiError } from "@/lib/api-error";
import { ACTIVITY_TOPIC, isDirectorIdentity, parsePin, withPin, type Activity } from "@/lib/director-state";
import { listParticipantsWithTimeout, listRoomsWithTimeout, roomService } from "@/lib/livekit/server";
import { roomForChannel } from "@/lib/schemas";

/** A LiveKit call's failure as a typed error: the target went away (404) or LiveKit did not answer (503). */
async function livekitCall<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (/not.?found|does not exist/i.test(String(err))) throw new ApiError("not_found", "they left the channel meanwhile");
    throw new ApiError("upstream_unavailable", "LiveKit did not answer");
  }
}

async function participantsOf(room: string): Promise<ParticipantInfo[]> {
  try {
    return await listParticipantsWithTimeout(room);
  } catch (err) {
    if (/not.?found|does not exist/i.test(String(err))) throw new ApiError("not_found", `channel ${room} has nobody in it`);
    throw new ApiError("upstream_unavailable", "LiveKit did not answer");
  }
}

async function findParticipant(room: string, identity: string): Promise<{ target: ParticipantInfo; all: ParticipantInfo[] }> {
  const all = await participantsOf(room);
  const target = all.find((p) => p.identity === identity);
  if (!target) throw new ApiError("not_found", "no such participant in this channel", { identity });
  return { target, all };
}

/**
 * Hand an activity entry to the room's director, which keeps the log (see
 * lib/director-state.ts). Best effort: a room without a director just has no log.
 */
export async function forwardActivity(room: string, activity: Activity, known?: ParticipantInfo[]): Promise<boolean> {
  try {
    const all = known ?? (await listParticipantsWithTimeout(room));
    const directors = all.filter((p) => isDirectorIdentity(p.identity)).map((p) => p.identity);
    if (directors.length === 0) return false;
    await roomService().sendData(room, new TextEncoder().encode(JSON.stringify(activity)), DataPacket_Kind.RELIABLE, {
      destinationIdentities: directors,
      topic: ACTIVITY_TOPIC,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * For webhooks: a new room's first events (its room_started, the first join) arrive
 * before LiveKit has dispatched its director, so retry for a while.
 */
export async function forwardActivityWhenDirected(room: string, activity: Activity, waitMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await forwardActivity(room, activity)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Pin (or unpin, identity null): a read-modify-write of the room metadata that keeps
 * the director's program. The director reacts to the newer `pin.at`, and re-writes
 * its newest program if this write carried an older one (worker/room-director.ts).
 */
export async function pin(channel: number, identity: string | null): Promise<{ at: number }> {
  const room = roomForChannel(channel);
  if (identity) await findParticipant(room, identity);
  let rooms;
  try {
    rooms = await listRoomsWithTimeout();
  } catch {
    throw new ApiError("upstream_unavailable", "LiveKit did not answer");
  }
  const info = rooms.find((r) => r.name === room);
  if (!info) throw new ApiError("not_found", "channel has nobody in it", { channel });
  const previous = parsePin(info.metadata);
  const at = Math.max(Date.now(), (previous?.at ?? 0) + 1);
  await livekitCall(roomService().updateRoomMetadata(room, withPin(info.metadata, { identity, at })));
  return { at };
}

/** Mute a participant's microphone through the server API; their page shows it muted. */
export async function muteMic(channel: number, identity: string): Promise<{ trackSid: string }> {
  const room = roomForChannel(channel);
  const { target, all } = await findParticipant(room, identity);
  const mic = target.tracks.find((t) => t.source === TrackSource.MICROPHONE);
  if (!mic) throw new ApiError("conflict", "this participant has no microphone published", { identity });
  await livekitCall(roomService().mutePublishedTrack(room, identity, mic.sid, true));
  const activity: Activity = { at: Date.now(), kind: "mute", identity, name: target.name, detail: "admin" };
  if (!(await forwardActivity(room, activity, all))) after(() => forwardActivityWhenDirected(room, activity));
  return { trackSid: mic.sid };
}

/** Remove a participant or a viewer from the room (LiveKit disconnects them at once). */
export async function removeParticipant(channel: number, identity: string): Promise<void> {
  const room = roomForChannel(channel);
  const { target, all } = await findParticipant(room, identity);
  await livekitCall(roomService().removeParticipant(room, identity));
  const activity: Activity = {
    at: Date.now(),
    kind: "remove",
    identity,
    name: target.name,
    detail: identity.startsWith("v_") ? "admin, viewer" : "admin",
  };
  if (!(await forwardActivity(room, activity, all))) after(() => forwardActivityWhenDirected(room, activity));
}
