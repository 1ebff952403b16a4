import "server-only";

/**
 * Who may have a token, checked before one is minted: the request rate per client
 * address and per browser, the join code, a ban after an admin's removal, and the
 * channel's room as LiveKit reports it (participants and hidden viewers, each with
 * its own cap). Each refusal is a typed ApiError the join page and the viewer show.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ParticipantInfo_State, type ParticipantInfo } from "@livekit/protocol";
import { ApiError } from "@/lib/api-error";
import { WindowCounter } from "@/lib/admin/rate-limit";
import { BanList } from "@/lib/bans";
import { env } from "@/lib/env";
import { PARTICIPANT_IDENTITY_PREFIX, VIEWER_IDENTITY_PREFIX } from "@/lib/livekit/grants";
import { listParticipantsWithTimeout } from "@/lib/livekit/server";
import type { Role } from "@/lib/schemas";

let byAddress: WindowCounter | undefined;
let byBrowser: WindowCounter | undefined;
export const bans = new BanList();

function tooMany(what: string, retryAfterS: number): ApiError {
  return new ApiError("too_many_requests", `too many join attempts from ${what}; try again in ${retryAfterS} s`, { retryAfterS }, {
    "Retry-After": String(retryAfterS),
  });
}

/** Count a token request from this address; 429 with Retry-After over TOKEN_RATE_PER_MINUTE. */
export function limitAddress(address: string): void {
  const max = env().TOKEN_RATE_PER_MINUTE;
  if (max > 0) take((byAddress ??= new WindowCounter({ max, windowMs: 60_000, maxKeys: 20_000 })), address, "this network");
}

/** Count a token request from this browser (its public id); 429 over TOKEN_RATE_PER_BROWSER_PER_MINUTE. */
export function limitBrowser(publicId: string): void {
  const max = env().TOKEN_RATE_PER_BROWSER_PER_MINUTE;
  if (max > 0) take((byBrowser ??= new WindowCounter({ max, windowMs: 60_000, maxKeys: 50_000 })), publicId, "this browser");
}

function take(counter: WindowCounter, key: string, who: string): void {
  const v = counter.take(key);
  if (v.blocked) throw tooMany(who, v.retryAfterS);
}

function sameCode(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** 401 without the code, 403 with a wrong one, when JOIN_CODE is set. */
export function checkJoinCode(code: string | undefined): void {
  const expected = env().JOIN_CODE;
  if (!expected) return;
  if (code === undefined || code.trim() === "") throw new ApiError("join_code_required", "this event needs a join code");
  if (!sameCode(code.trim(), expected)) throw new ApiError("join_code_wrong", "that join code is not right");
}

export function checkBan(publicId: string): void {
  const s = bans.bannedForS(publicId);
  if (s > 0) {
    throw new ApiError("banned", `an organiser removed you from this channel; you can join again in ${Math.ceil(s / 60)} min`, { retryAfterS: s }, {
      "Retry-After": String(s),
    });
  }
}

/** Remember a removal: this browser gets no token for REMOVE_BAN_MINUTES. */
export function banBrowser(publicId: string): number | null {
  const minutes = env().REMOVE_BAN_MINUTES;
  if (minutes <= 0) return null;
  return bans.ban(publicId, minutes * 60_000);
}

/** How many participants and viewers a room has (the requester's own identity aside: a reload replaces itself). */
export function roomCounts(all: ParticipantInfo[], self: string): { participants: number; viewers: number } {
  let participants = 0;
  let viewers = 0;
  for (const p of all) {
    if (p.identity === self || p.state === ParticipantInfo_State.DISCONNECTED) continue;
    if (p.identity.startsWith(PARTICIPANT_IDENTITY_PREFIX)) participants++;
    else if (p.identity.startsWith(VIEWER_IDENTITY_PREFIX)) viewers++;
  }
  return { participants, viewers };
}

/**
 * The channel's caps, against the room as LiveKit reports it now. Two requests at the
 * same instant can both pass; LiveKit's own room limit (MAX_PARTICIPANTS + MAX_VIEWERS
 * + room for the director and Egress, set in each token's room configuration and in
 * livekit.yaml) is the hard stop behind it.
 */
export async function checkCapacity(room: string, role: Role, identity: string): Promise<void> {
  const e = env();
  let all: ParticipantInfo[];
  try {
    all = await listParticipantsWithTimeout(room);
  } catch (err) {
    if (/not.?found|does not exist/i.test(String(err))) all = [];
    else throw new ApiError("upstream_unavailable", "the video server did not answer; try again in a moment");
  }
  const n = roomCounts(all, identity);
  if (role === "participant" && n.participants >= e.MAX_PARTICIPANTS_PER_CHANNEL) {
    const n = e.MAX_PARTICIPANTS_PER_CHANNEL;
    throw new ApiError("channel_full", `this channel is full (${n} ${n === 1 ? "person" : "people"}); try another channel`, {
      limit: e.MAX_PARTICIPANTS_PER_CHANNEL,
    });
  }
  if (role === "viewer" && n.viewers >= e.MAX_VIEWERS_PER_CHANNEL) {
    throw new ApiError("channel_full", `this channel has all the program screens it may have (${e.MAX_VIEWERS_PER_CHANNEL})`, {
      limit: e.MAX_VIEWERS_PER_CHANNEL,
    });
  }
}

/** Room capacity for LiveKit itself: both caps, plus the director, Egress and a little slack for reloads. */
export function livekitRoomLimit(): number {
  const e = env();
  return e.MAX_PARTICIPANTS_PER_CHANNEL + e.MAX_VIEWERS_PER_CHANNEL + 4;
}
