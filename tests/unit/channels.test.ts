import { ParticipantInfo, ParticipantInfo_Kind, ParticipantPermission, Room } from "@livekit/protocol";
import { describe, expect, it } from "vitest";
import { readChannels, SharedRead, type RoomReader } from "@/lib/channels";
import { ATTR_LEVELS, ATTR_PREVIEW, withPin, withProgram, withRoles, withShotLength } from "@/lib/room-state";

/** A LiveKit of three rooms, counting the API calls made to it. */
function countingReader(opts: { listRoomsFails?: boolean; gone?: string[] } = {}) {
  const calls = { listRooms: 0, listParticipants: 0 };
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const participants: Record<string, ParticipantInfo[]> = {
    "channel-2": [
      new ParticipantInfo({ identity: "p_ann", name: "Ann", joinedAtMs: 2000n }),
      new ParticipantInfo({
        identity: "director-1",
        kind: ParticipantInfo_Kind.AGENT,
        permission: new ParticipantPermission({ hidden: true }),
        attributes: { [ATTR_LEVELS]: JSON.stringify({ p_ann: [90, 1] }), [ATTR_PREVIEW]: JSON.stringify({ identity: "p_ann", progress: 0.5, at: 9 }) },
      }),
      new ParticipantInfo({ identity: "v_x_1", permission: new ParticipantPermission({ hidden: true }) }),
    ],
    "channel-1": [new ParticipantInfo({ identity: "p_bob", name: "Bob", joinedAt: 3n })],
    lobby: [new ParticipantInfo({ identity: "p_zed" })],
  };
  const program = withShotLength(
    withRoles(withPin(withProgram(null, { program: "p_ann", name: "Ann", since: 1, reason: "wide-free-floor", seq: 3, pinned: null, shot: "wide" }), { identity: null, at: 1 }), {
      roles: { p_ann: "favor" },
      at: 2,
    }),
    { ms: 2500, at: 3 },
  );
  const reader: RoomReader = {
    async listRooms() {
      calls.listRooms++;
      await gate;
      if (opts.listRoomsFails) throw new Error("livekit did not answer");
      return [new Room({ name: "channel-2", metadata: program }), new Room({ name: "lobby" }), new Room({ name: "channel-1" })];
    },
    async listParticipants(room) {
      calls.listParticipants++;
      if (opts.gone?.includes(room)) throw new Error("room not found");
      return participants[room] ?? [];
    },
  };
  return { reader, calls, release };
}

describe("readChannels", () => {
  it("reads every channel room once, in channel order, with the director's attributes parsed", async () => {
    const { reader, calls, release } = countingReader();
    release();
    const read = await readChannels(reader, 1234);
    // 1 + N: one listRooms, one listParticipants per channel room (not the lobby).
    expect(calls).toEqual({ listRooms: 1, listParticipants: 2 });
    expect(read.reachable).toBe(true);
    expect(read.at).toBe(1234);
    expect(read.channels.map((c) => c.room)).toEqual(["channel-1", "channel-2"]);
    const two = read.channels[1]!;
    expect(two.program?.program).toBe("p_ann");
    expect(two.people.map((p) => p.identity)).toEqual(["p_ann"]);
    expect(two.all).toHaveLength(3);
    expect(two.director?.identity).toBe("director-1");
    expect(two.director?.levels).toEqual({ p_ann: [90, 1] });
    expect(read.channels[0]!.director).toBeNull();
    // The vision mixer's inputs and the director's preview lane.
    expect(two.program?.shot).toBe("wide");
    expect(two.roles).toEqual({ roles: { p_ann: "favor" }, at: 2 });
    expect(two.shotLength).toEqual({ ms: 2500, at: 3 });
    expect(two.director?.preview).toEqual({ identity: "p_ann", progress: 0.5, at: 9 });
    expect(read.channels[0]).toMatchObject({ roles: null, shotLength: null, program: null });
  });

  it("says LiveKit is unreachable instead of throwing, and drops a room that closed meanwhile", async () => {
    const down = countingReader({ listRoomsFails: true });
    down.release();
    expect(await readChannels(down.reader)).toMatchObject({ reachable: false, apiRttMs: null, channels: [] });
    const closing = countingReader({ gone: ["channel-1"] });
    closing.release();
    expect((await readChannels(closing.reader)).channels.map((c) => c.room)).toEqual(["channel-2"]);
  });
});

describe("SharedRead over readChannels (the /status cache)", () => {
  it("answers concurrent callers with one read in flight, then keeps it for maxAgeMs", async () => {
    const { reader, calls, release } = countingReader();
    let now = 0;
    const shared = new SharedRead(() => readChannels(reader), 250, () => now);
    // 20 requests arrive while LiveKit has not answered yet: one read.
    const pending = Array.from({ length: 20 }, () => shared.get());
    now = 1000; // even a slow read is not started twice while in flight
    pending.push(shared.get());
    release();
    const results = await Promise.all(pending);
    expect(calls).toEqual({ listRooms: 1, listParticipants: 2 });
    expect(new Set(results).size).toBe(1);
    // Within maxAgeMs of its arrival the result is reused; after it, a new read.
    await new Promise((r) => setImmediate(r));
    now += 249;
    expect(await shared.get()).toBe(results[0]);
    expect(calls.listRooms).toBe(1);
    now += 1;
    const fresh = await shared.get();
    expect(fresh).not.toBe(results[0]);
    expect(calls).toEqual({ listRooms: 2, listParticipants: 4 });
  });

  it("does not keep a failed read", async () => {
    let n = 0;
    const shared = new SharedRead(async () => {
      n++;
      if (n === 1) throw new Error("boom");
      return n;
    }, 10_000);
    await expect(shared.get()).rejects.toThrow("boom");
    await new Promise((r) => setImmediate(r));
    expect(await shared.get()).toBe(2);
    expect(await shared.get()).toBe(2);
  });
});
