import "server-only";

import { after } from "next/server";
import { DataPacket_Kind, TrackSource, type ParticipantInfo } from "@livekit/protocol";
import { ApiError } from "@/lib/api-error";
import {
  ACTIVITY_TOPIC,
  ADMIN_INPUT_TOPIC,
  encodeActivity,
  isDirectorIdentity,
  pinOver,
  rolesOver,
  shotLengthOver,
  takeOver,
  withPin,
  withRoles,
  withShotLength,
  withTake,
  type Activity,
  type DirectorRole,
  type Shot,
} from "@/lib/room-state";
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

/** Send a data message to the room's directors. False when there is none, or LiveKit refused. */
async function toDirectors(room: string, payload: Uint8Array, topic: string, known?: ParticipantInfo[]): Promise<boolean> {
  try {
    const all = known ?? (await listParticipantsWithTimeout(room));
    const directors = all.filter((p) => isDirectorIdentity(p.identity)).map((p) => p.identity);
    if (directors.length === 0) return false;
    await roomService().sendData(room, payload, DataPacket_Kind.RELIABLE, { destinationIdentities: directors, topic });
    return true;
  } catch {
    return false;
  }
}

/**
 * Hand an activity entry to the room's director, which keeps the log (see
 * lib/room-state.ts). Best effort: a room without a director just has no log.
 */
export async function forwardActivity(room: string, activity: Activity, known?: ParticipantInfo[]): Promise<boolean> {
  return toDirectors(room, encodeActivity(activity), ACTIVITY_TOPIC, known);
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
 * its newest program if this write carried an older one (worker/core.ts).
 */
export async function pin(channel: number, identity: string | null): Promise<{ at: number }> {
  const room = roomForChannel(channel);
  if (identity) await findParticipant(room, identity);
  return writeMetadata(room, channel, (metadata) => {
    const next = pinOver(metadata, identity);
    return { metadata: withPin(metadata, next), at: next.at };
  });
}

/**
 * One admin input into the room metadata: read the room's metadata, let `update` set
 * its key (keeping every other key) and write it back, as the pin does.
 */
async function writeMetadata(room: string, channel: number, update: (metadata: string) => { metadata: string; at: number }): Promise<{ at: number }> {
  let rooms;
  try {
    rooms = await listRoomsWithTimeout();
  } catch {
    throw new ApiError("upstream_unavailable", "LiveKit did not answer");
  }
  const info = rooms.find((r) => r.name === room);
  if (!info) throw new ApiError("not_found", "channel has nobody in it", { channel });
  const { metadata, at } = update(info.metadata);
  await livekitCall(roomService().updateRoomMetadata(room, metadata));
  // The room's metadata has no compare-and-set, and LiveKit coalesces quick successive
  // updates into one room event: a program the director writes from its older copy a
  // moment later can drop this input before the director ever sees it. So the director
  // also gets the metadata we wrote, directly; it merges it like a metadata event and
  // writes back whatever input its copy lacks (worker/core.ts). A room without a
  // director needs nothing: whoever joins reads the metadata as it is.
  await toDirectors(room, new TextEncoder().encode(metadata), ADMIN_INPUT_TOPIC);
  return { at };
}

/** Set a participant's director role (`auto` clears it). Keyed by identity, so it outlives a reconnect. */
export async function setDirectorRole(channel: number, identity: string, role: DirectorRole): Promise<{ at: number }> {
  const room = roomForChannel(channel);
  await findParticipant(room, identity);
  return writeMetadata(room, channel, (metadata) => {
    const next = rolesOver(metadata, identity, role);
    return { metadata: withRoles(metadata, next), at: next.at };
  });
}

/** Cut once, now, to a participant (shot "speaker") or to the wide shot (identity null). The director then carries on. */
export async function take(channel: number, identity: string | null, shot: Shot): Promise<{ at: number }> {
  const room = roomForChannel(channel);
  if (shot === "speaker" && identity) await findParticipant(room, identity);
  return writeMetadata(room, channel, (metadata) => {
    const next = takeOver(metadata, identity, shot);
    return { metadata: withTake(metadata, next), at: next.at };
  });
}

/** Override SWITCH_DWELL_MS for one channel, live; null goes back to the director's default. */
export async function setShotLength(channel: number, ms: number | null): Promise<{ at: number }> {
  const room = roomForChannel(channel);
  return writeMetadata(room, channel, (metadata) => {
    const next = shotLengthOver(metadata, ms);
    return { metadata: withShotLength(metadata, next), at: next.at };
  });
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
