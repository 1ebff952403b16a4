import { describe, expect, it } from "vitest";
import type { FriendsChannel } from "@/lib/friends/model";
import { commandForKey, isTypingTarget } from "@/lib/friends/shortcuts";
import { SHOT_LENGTH_MAX_MS } from "@/lib/room-state";
import { directorRoleRequestSchema, fieldErrors, shotLengthRequestSchema, takeRequestSchema } from "@/lib/schemas";

function channel(ids: string[], program: FriendsChannel["program"] = null): FriendsChannel {
  return {
    channel: 3,
    room: "channel-3",
    director: true,
    program,
    participants: ids.map((id, i) => ({ identity: id, name: id.slice(2).toUpperCase(), mic: "live", micSid: null, camera: "live", quality: "good", joinedAt: i })),
    viewers: [],
    roles: {},
    shotLengthMs: null,
    defaultShotLengthMs: null,
  };
}

const onAir = (identity: string, shot: "speaker" | "wide" = "speaker") => ({ identity, name: identity, since: 1, reason: "speech", seq: 1, pinned: null, shot });

describe("the mixer's request bodies", () => {
  it("a take names a participant, or goes wide naming nobody", () => {
    expect(takeRequestSchema.parse({ channel: 3, identity: "p_a" })).toEqual({ channel: 3, identity: "p_a", shot: "speaker" });
    expect(takeRequestSchema.parse({ channel: 3, shot: "wide" })).toEqual({ channel: 3, identity: null, shot: "wide" });
    for (const bad of [{ channel: 3 }, { channel: 3, shot: "wide", identity: "p_a" }, { channel: 3, identity: "v_viewer_1" }, { channel: 3, shot: "close-up" }, { channel: 3, identity: null }]) {
      const r = takeRequestSchema.safeParse(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      if (!r.success) expect(Object.keys(fieldErrors(r.error)).length).toBeGreaterThan(0);
    }
  });

  it("a role is auto, favor or never, for a participant", () => {
    expect(directorRoleRequestSchema.parse({ channel: 3, identity: "p_a", role: "never" }).role).toBe("never");
    const r = directorRoleRequestSchema.safeParse({ channel: 3, identity: "p_a", role: "boss" });
    expect(r.success).toBe(false);
    if (!r.success) expect(Object.keys(fieldErrors(r.error))).toEqual(["role"]);
    expect(directorRoleRequestSchema.safeParse({ channel: 3, identity: "director-x", role: "auto" }).success).toBe(false);
  });

  it("a shot length is whole ms up to the contract's maximum, or null", () => {
    expect(shotLengthRequestSchema.parse({ channel: 3, ms: null }).ms).toBeNull();
    expect(shotLengthRequestSchema.parse({ channel: 3, ms: SHOT_LENGTH_MAX_MS }).ms).toBe(SHOT_LENGTH_MAX_MS);
    expect(shotLengthRequestSchema.parse({ channel: 3, ms: 0 }).ms).toBe(0);
    for (const ms of [SHOT_LENGTH_MAX_MS + 1, -1, 1.5, "2000", undefined]) {
      const r = shotLengthRequestSchema.safeParse({ channel: 3, ms });
      expect(r.success, String(ms)).toBe(false);
      if (!r.success) expect(Object.keys(fieldErrors(r.error))).toEqual(["ms"]);
    }
  });
});

describe("the mixer's keys", () => {
  const ch = channel(["p_ada", "p_bo", "p_cy"], onAir("p_bo"));

  it("1–9 take the n-th participant in the card's order; past the last, nothing", () => {
    expect(commandForKey("1", ch, undefined)).toEqual({ kind: "take", identity: "p_ada", name: "ADA" });
    expect(commandForKey("3", ch, undefined)).toEqual({ kind: "take", identity: "p_cy", name: "CY" });
    expect(commandForKey("4", ch, undefined)).toBeNull();
    expect(commandForKey("0", ch, undefined)).toBeNull();
  });

  it("W goes wide and A unpins, in either case", () => {
    expect(commandForKey("w", ch, undefined)).toEqual({ kind: "wide" });
    expect(commandForKey("W", ch, undefined)).toEqual({ kind: "wide" });
    expect(commandForKey("a", ch, undefined)).toEqual({ kind: "unpin" });
    expect(commandForKey("x", ch, undefined)).toBeNull();
  });

  it("P pins the preview candidate, else who is on air, else nothing", () => {
    expect(commandForKey("p", ch, { identity: "p_cy", progress: 0.4, at: 1 })).toEqual({ kind: "pin", identity: "p_cy", name: "CY" });
    expect(commandForKey("p", ch, { identity: null, progress: 0, at: 1 })).toEqual({ kind: "pin", identity: "p_bo", name: "BO" });
    // A candidate who has left is not pinned; a wide shot has nobody on air to pin.
    expect(commandForKey("p", ch, { identity: "p_gone", progress: 0.9, at: 1 })).toEqual({ kind: "pin", identity: "p_bo", name: "BO" });
    expect(commandForKey("p", channel(["p_ada"], onAir("p_ada", "wide")), undefined)).toBeNull();
  });

  it("typing in a field is not a shortcut", () => {
    const el = (tagName: string, isContentEditable = false) => ({ tagName, isContentEditable }) as unknown as EventTarget;
    expect(isTypingTarget(el("INPUT"))).toBe(true);
    expect(isTypingTarget(el("SELECT"))).toBe(true);
    expect(isTypingTarget(el("TEXTAREA"))).toBe(true);
    expect(isTypingTarget(el("DIV", true))).toBe(true);
    expect(isTypingTarget(el("BUTTON"))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
