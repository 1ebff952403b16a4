import { describe, expect, it } from "vitest";
import { parseActivity, parsePin, withPin } from "@/lib/room-state";
import { applyEvent, diffState, emptyClientState, emptyState, sampleLevels, MAX_SAMPLES, type FriendsChannel, type FriendsState } from "@/lib/friends/model";
import { withProgram } from "@/lib/room-state";

function channel(room: string, ids: string[]): FriendsChannel {
  return {
    channel: Number(room.split("-")[1]),
    room,
    director: true,
    program: null,
    participants: ids.map((id, i) => ({ identity: id, name: id.toUpperCase(), mic: "live", micSid: `TR_${id}`, camera: "live", quality: "good", joinedAt: i })),
    viewers: [],
    roles: {},
    shotLengthMs: null,
    defaultShotLengthMs: null,
  };
}

function state(at: number, rooms: Record<string, string[]>, levels: Record<string, Record<string, [number, number]>> = {}): FriendsState {
  const s = emptyState(at);
  for (const [room, ids] of Object.entries(rooms)) s.channels[room] = channel(room, ids);
  s.levels = levels;
  return s;
}

describe("the /friends feed", () => {
  it("sends a channel again when a viewer comes or goes", () => {
    const a = state(1, { "channel-1": ["p_a"] });
    const b = structuredClone(a);
    b.at = 2;
    b.channels["channel-1"]!.viewers = [{ identity: "v_x_000000", name: "Projector", joinedAt: 5 }];
    const patch = diffState(a, b);
    expect(patch?.channels?.["channel-1"]?.viewers).toEqual([{ identity: "v_x_000000", name: "Projector", joinedAt: 5 }]);
  });

  it("sends nothing when nothing changed", () => {
    const a = state(1, { "channel-1": ["p_a"] }, { "channel-1": { p_a: [127, 0] } });
    expect(diffState(a, { ...a, at: 2 })).toBeNull();
  });

  it("sends only the levels that changed, and whole channels only when they change", () => {
    const a = state(1, { "channel-1": ["p_a", "p_b"], "channel-2": ["p_c"] }, { "channel-1": { p_a: [127, 0], p_b: [127, 0] }, "channel-2": { p_c: [90, 0] } });
    const b = state(2, { "channel-1": ["p_a", "p_b"], "channel-2": ["p_c"] }, { "channel-1": { p_a: [30, 1], p_b: [127, 0] }, "channel-2": { p_c: [90, 0] } });
    expect(diffState(a, b)).toEqual({ type: "patch", at: 2, levels: { "channel-1": { p_a: [30, 1] } } });
    const c = state(3, { "channel-1": ["p_a", "p_b"] }, b.levels);
    expect(diffState(b, c)?.channels).toEqual({ "channel-2": null });
  });

  it("sends a program change without the channel's participants", () => {
    const a = state(1, { "channel-1": ["p_a", "p_b"] });
    const b = structuredClone(a);
    b.at = 2;
    b.channels["channel-1"]!.program = { identity: "p_b", name: "P_B", since: 2, reason: "speech", seq: 2, pinned: null, shot: "speaker" };
    const p = diffState(a, b)!;
    expect(p.channels).toBeUndefined();
    expect(p.programs).toEqual({ "channel-1": b.channels["channel-1"]!.program });
    expect(applyEvent(applyEvent(emptyClientState(), { type: "snapshot", ...a }), p).channels).toEqual(b.channels);
  });

  it("sends new decisions and activity once", () => {
    const a = state(1, { "channel-1": ["p_a"] });
    a.decisions["channel-1"] = [{ at: 1, program: "p_a", reason: "speech", seq: 1 }];
    a.activity["channel-1"] = [{ at: 1, kind: "participant_joined", identity: "p_a", name: "A", detail: null }];
    const b = structuredClone(a);
    b.at = 2;
    b.decisions["channel-1"]!.push({ at: 2, program: null, reason: "holder-left", seq: 2 });
    b.activity["channel-1"]!.push({ at: 2, kind: "mute", identity: "p_a", name: "A", detail: "admin" });
    const p = diffState(a, b)!;
    expect(p.decisions).toEqual({ "channel-1": [{ at: 2, program: null, reason: "holder-left", seq: 2 }] });
    expect(p.activity?.["channel-1"]).toHaveLength(1);
  });

  it("the browser rebuilds the server's state from a snapshot and patches", () => {
    const a = state(1, { "channel-1": ["p_a", "p_b"] }, { "channel-1": { p_a: [127, 0], p_b: [127, 0] } });
    const b = state(2, { "channel-1": ["p_a"], "channel-3": ["p_z"] }, { "channel-1": { p_a: [20, 1] }, "channel-3": { p_z: [60, 0] } });
    let client = applyEvent(emptyClientState(), { type: "snapshot", ...a });
    client = applyEvent(client, diffState(a, b)!);
    expect(client.channels).toEqual(b.channels);
    expect(client.levels).toEqual(b.levels);
  });

  it("sends a changed role or shot length as the channel, and the preview lane on its own", () => {
    const a = state(1, { "channel-1": ["p_a", "p_b"] });
    a.previews["channel-1"] = { identity: "p_b", progress: 0.25, at: 1 };
    const b = structuredClone(a);
    b.at = 2;
    b.previews["channel-1"] = { identity: "p_b", progress: 0.75, at: 2 };
    const p1 = diffState(a, b)!;
    expect(p1.channels).toBeUndefined();
    expect(p1.previews).toEqual({ "channel-1": { identity: "p_b", progress: 0.75, at: 2 } });
    const c = structuredClone(b);
    c.at = 3;
    c.channels["channel-1"]!.roles = { p_a: "never" };
    c.channels["channel-1"]!.shotLengthMs = 2500;
    delete c.previews["channel-1"];
    const p2 = diffState(b, c)!;
    expect(p2.channels?.["channel-1"]).toMatchObject({ roles: { p_a: "never" }, shotLengthMs: 2500 });
    expect(p2.previews).toEqual({ "channel-1": null });
    let client = applyEvent(emptyClientState(), { type: "snapshot", ...a });
    client = applyEvent(client, p1);
    expect(client.previews["channel-1"]?.progress).toBe(0.75);
    client = applyEvent(client, p2);
    expect(client.previews).toEqual({});
    expect(client.channels).toEqual(c.channels);
    // A channel that closes takes its preview lane with it.
    const d = state(4, {});
    expect(applyEvent(applyEvent(emptyClientState(), { type: "snapshot", ...b }), diffState(b, d)!).previews).toEqual({});
  });

  it("keeps 2 minutes of 4 Hz samples per participant, seeded from the director's trend", () => {
    const a = state(1000, { "channel-1": ["p_a"] }, { "channel-1": { p_a: [40, 1] } });
    a.trend["channel-1"] = { at: 1000, levels: { p_a: Buffer.from([100, 50]).toString("base64") } };
    let c = applyEvent(emptyClientState(), { type: "snapshot", ...a });
    expect(c.samples["channel-1"]!.p_a).toEqual([100, 100, 50, 50]);
    c = sampleLevels(c, 1000 + 1000);
    expect(c.samples["channel-1"]!.p_a).toEqual([100, 100, 50, 50, 40, 40, 40, 40]);
    c = sampleLevels(c, 1000 + 10 * 60_000);
    expect(c.samples["channel-1"]!.p_a).toHaveLength(MAX_SAMPLES);
  });
});

describe("pins in room metadata", () => {
  it("a pin and the director's program live side by side", () => {
    const program = { program: "p_a", name: "A", since: 1, reason: "speech", seq: 3, pinned: null, shot: "speaker" as const };
    const md = withPin(withProgram(null, program), { identity: "p_b", at: 5 });
    expect(parsePin(md)).toEqual({ identity: "p_b", at: 5 });
    expect(JSON.parse(withProgram(md, { ...program, seq: 4 }))).toMatchObject({ pin: { identity: "p_b", at: 5 }, director: { seq: 4 } });
  });

  it("activity from the app is validated before the director logs it", () => {
    expect(parseActivity(JSON.stringify({ at: 1, kind: "mute", identity: "p_a" }))).toEqual({ at: 1, kind: "mute", identity: "p_a", name: null, detail: null });
    expect(parseActivity(JSON.stringify({ at: 1, kind: "format_disk" }))).toBeNull();
    expect(parseActivity("not json")).toBeNull();
  });
});
