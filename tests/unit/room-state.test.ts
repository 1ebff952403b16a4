import { ParticipantInfo, ParticipantInfo_Kind, ParticipantPermission } from "@livekit/protocol";
import { ParticipantKind } from "livekit-client";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  encodeActivity,
  isPerson,
  parseActivity,
  parseLevelsAttr,
  parseLogAttr,
  parsePin,
  parsePreviewAttr,
  parseProgram,
  parseQualityAttr,
  parseTrendAttr,
  parseWebhookSeen,
  parseRoles,
  parseShotLength,
  parseTake,
  pinOver,
  roleOf,
  rolesOver,
  SHOT_LENGTH_MAX_MS,
  shotLengthOver,
  takeOver,
  withMetadataKey,
  withPin,
  withProgram,
  withRoles,
  withShotLength,
  withTake,
  type ProgramState,
} from "@/lib/room-state";
import { parseJson } from "@/lib/schemas";

const state: ProgramState = { program: "p_a", name: "Ann", since: 1000, reason: "speech", seq: 4, pinned: null, shot: "speaker" };

describe("program in room metadata", () => {
  it("round-trips and keeps other keys", () => {
    const md = withProgram(JSON.stringify({ pin: { identity: "p_b", at: 5 } }), state);
    expect(parseProgram(md)).toEqual(state);
    expect(parsePin(md)).toEqual({ identity: "p_b", at: 5 });
  });

  it("replaces foreign non-JSON metadata", () => {
    expect(parseProgram(withProgram("hello", state))).toEqual(state);
    // JSON that is not an object (an array, a number) is foreign too.
    expect(JSON.parse(withMetadataKey("[1,2]", "k", 1))).toEqual({ k: 1 });
    expect(JSON.parse(withMetadataKey("7", "k", 1))).toEqual({ k: 1 });
  });

  it("reads nothing from empty, foreign or malformed metadata", () => {
    expect(parseProgram("")).toBeNull();
    expect(parseProgram(undefined)).toBeNull();
    expect(parseProgram("not json")).toBeNull();
    expect(parseProgram(JSON.stringify({ director: { program: 3 } }))).toBeNull();
    expect(parsePin(JSON.stringify({ pin: { identity: 1 } }))).toBeNull();
  });
});

describe("a new pin", () => {
  it("is stamped now, or one past a pin from a clock ahead of ours", () => {
    expect(pinOver(null, "p_a", 1000)).toEqual({ identity: "p_a", at: 1000 });
    const ahead = withPin(withProgram(null, state), { identity: "p_a", at: 5000 });
    expect(pinOver(ahead, null, 1000)).toEqual({ identity: null, at: 5001 });
    expect(pinOver(ahead, "p_b", 9000)).toEqual({ identity: "p_b", at: 9000 });
  });
});

describe("the director's attributes and the activity log", () => {
  it("fall back on absent, malformed or foreign values instead of throwing", () => {
    for (const bad of [undefined, "", "{", "null", "[]", '"x"']) {
      expect(parseLevelsAttr(bad)).toEqual({});
      expect(parseQualityAttr(bad)).toEqual({});
      expect(parseTrendAttr(bad)).toBeNull();
      expect(parseLogAttr(bad === "[]" ? '[{"at":"x"}]' : bad)).toEqual([]);
    }
    expect(parseLevelsAttr('{"p_a":[88,1]}')).toEqual({ p_a: [88, 1] });
    expect(parseQualityAttr('{"p_a":"good","p_b":"meh"}')).toEqual({});
    expect(parseTrendAttr('{"at":5,"levels":{"p_a":"AAA="}}')).toEqual({ at: 5, levels: { p_a: "AAA=" } });
  });

  it("an activity entry survives its trip as a data message, with defaults filled in", () => {
    const back = parseActivity(encodeActivity({ at: 1, kind: "mute", identity: "p_a", name: "Ann", detail: "admin" }));
    expect(back).toEqual({ at: 1, kind: "mute", identity: "p_a", name: "Ann", detail: "admin" });
    expect(parseActivity('{"at":2,"kind":"pin"}')).toEqual({ at: 2, kind: "pin", identity: null, name: null, detail: null });
    expect(parseActivity(new Uint8Array([0xff, 0xfe]))).toBeNull();
  });

  it("reads the webhook stamp only in its own format", () => {
    expect(parseWebhookSeen("1767225600000")).toBe(1767225600000);
    expect(parseWebhookSeen("12")).toBeNull();
    expect(parseWebhookSeen(undefined)).toBeNull();
  });
});

describe("parseJson", () => {
  const schema = z.object({ n: z.number().catch(0) });
  it("returns the schema's output, or the fallback for absent, non-JSON or invalid text", () => {
    expect(parseJson(schema, '{"n":3}', null)).toEqual({ n: 3 });
    expect(parseJson(schema, '{"n":"x"}', null)).toEqual({ n: 0 });
    expect(parseJson(schema, "[]", "fb")).toBe("fb");
    expect(parseJson(schema, "{oops", "fb")).toBe("fb");
    expect(parseJson(schema, null, "fb")).toBe("fb");
    expect(parseJson(schema, "", "fb")).toBe("fb");
  });
});

describe("isPerson", () => {
  const info = (identity: string, kind = ParticipantInfo_Kind.STANDARD, hidden = false) =>
    new ParticipantInfo({ identity, kind, permission: new ParticipantPermission({ hidden, canSubscribe: true }) });

  it("counts visible standard participants as people, in the server SDK's shape", () => {
    expect(isPerson(info("p_ann"))).toBe(true);
    expect(isPerson(new ParticipantInfo({ identity: "lk-bot" }))).toBe(true); // no permission block at all
  });

  it("does not count hidden viewers, agents, Egress or a director", () => {
    expect(isPerson(info("v_abc_1", ParticipantInfo_Kind.STANDARD, true))).toBe(false);
    expect(isPerson(info("agent-x", ParticipantInfo_Kind.AGENT))).toBe(false);
    expect(isPerson(info("EG_1", ParticipantInfo_Kind.EGRESS))).toBe(false);
    // A director deployed without the hidden grant is still not a person.
    expect(isPerson(info("director-1"))).toBe(false);
  });

  it("reads the browser SDK's shape (permissions, ParticipantKind) the same way", () => {
    expect(isPerson({ identity: "p_ann", kind: ParticipantKind.STANDARD, permissions: { hidden: false } })).toBe(true);
    expect(isPerson({ identity: "p_ann", kind: ParticipantKind.STANDARD, permissions: { hidden: true } })).toBe(false);
    expect(isPerson({ identity: "x", kind: ParticipantKind.AGENT })).toBe(false);
    expect(isPerson({ identity: "x", kind: ParticipantKind.EGRESS })).toBe(false);
  });
});

describe("the vision mixer's inputs in room metadata", () => {
  it("a program written before shots existed reads as a speaker shot", () => {
    const old = JSON.stringify({ director: { program: "p_a", name: "A", since: 1, reason: "speech", seq: 2, pinned: null } });
    expect(parseProgram(old)?.shot).toBe("speaker");
    expect(parseProgram(JSON.stringify({ director: { ...JSON.parse(old).director, shot: "wide" } }))?.shot).toBe("wide");
    expect(parseProgram(JSON.stringify({ director: { ...JSON.parse(old).director, shot: "close-up" } }))).toBeNull();
  });

  it("roles: one participant's role is set or removed, the others kept, and the stamp moves on", () => {
    const md = withRoles(withProgram(null, state), rolesOver(null, "p_host", "favor", 100));
    expect(parseRoles(md)).toEqual({ roles: { p_host: "favor" }, at: 100 });
    const next = rolesOver(md, "p_interp", "never", 50); // a clock behind the last writer's
    expect(next).toEqual({ roles: { p_host: "favor", p_interp: "never" }, at: 101 });
    const md2 = withRoles(md, rolesOver(withRoles(md, next), "p_host", "auto", 200));
    expect(parseRoles(md2)?.roles).toEqual({ p_interp: "never" });
    expect(roleOf(parseRoles(md2), "p_interp")).toBe("never");
    expect(roleOf(parseRoles(md2), "p_host")).toBe("auto");
    expect(parseProgram(md2)?.program).toBe("p_a");
    expect(parseRoles(JSON.stringify({ roles: { roles: { p_x: "boss" }, at: 1 } }))).toBeNull();
  });

  it("a take names someone for a speaker shot, or nobody for a wide one, and is stamped after the last", () => {
    const md = withTake(null, takeOver(null, "p_b", "speaker", 10));
    expect(parseTake(md)).toEqual({ identity: "p_b", shot: "speaker", at: 10 });
    expect(takeOver(md, "p_b", "wide", 5)).toEqual({ identity: null, shot: "wide", at: 11 });
  });

  it("a shot length is whole ms within range, or null for the default", () => {
    const md = withShotLength(null, shotLengthOver(null, 2500, 7));
    expect(parseShotLength(md)).toEqual({ ms: 2500, at: 7 });
    expect(parseShotLength(withShotLength(md, shotLengthOver(md, null, 1)))).toEqual({ ms: null, at: 8 });
    expect(parseShotLength(JSON.stringify({ shotLength: { ms: SHOT_LENGTH_MAX_MS + 1, at: 1 } }))).toBeNull();
  });

  it("the preview attribute falls back to null on a foreign value", () => {
    expect(parsePreviewAttr(JSON.stringify({ identity: "p_a", progress: 0.5, at: 1 }))).toEqual({ identity: "p_a", progress: 0.5, at: 1 });
    expect(parsePreviewAttr(JSON.stringify({ identity: "p_a", progress: 2, at: 1 }))).toBeNull();
    expect(parsePreviewAttr("nope")).toBeNull();
  });
});
