import { ParticipantInfo, type RoomServiceClient } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { ATTR_HEARTBEAT } from "@/lib/room-state";
import { DuplicateCheck, STALE_MS, verdict } from "@/worker/dedupe";
import { DecisionLog, LevelHistory, LEVEL_HISTORY_FRAMES } from "@/worker/history";
import { LevelMeter } from "@/worker/level-meter";
import type { LocalParticipant } from "@livekit/rtc-node";
import { createPolicy } from "@/lib/switching";
import { parseSwitchConfig } from "@/lib/switching/config";
import { RoomCore } from "@/worker/core";
import { Publisher } from "@/worker/publisher";

function director(identity: string, hb: number | null, joinedAtMs = 0): ParticipantInfo {
  return new ParticipantInfo({
    identity,
    joinedAtMs: BigInt(joinedAtMs),
    attributes: hb === null ? {} : { [ATTR_HEARTBEAT]: String(hb) },
  });
}

describe("one director per room (dedupe verdict)", () => {
  const now = 100_000;
  const pick = (v: ReturnType<typeof verdict>) => ({ stale: v.stale, stay: v.stay, unsure: v.unsure });

  it("the smallest live identity stays; the others leave once its heartbeat is seen advancing", () => {
    const first = [director("director-b", now - 500), director("director-a", now - 900), new ParticipantInfo({ identity: "p_x" })];
    expect(pick(verdict(first, "director-a", now))).toEqual({ stale: [], stay: true, unsure: false });
    // b's first look: a is there with a fresh heartbeat, but not yet proven live.
    const look1 = verdict(first, "director-b", now);
    expect(pick(look1)).toEqual({ stale: [], stay: true, unsure: true });
    // The next look, a's heartbeat has advanced: b leaves.
    const second = [director("director-b", now + 1000), director("director-a", now + 1100)];
    expect(pick(verdict(second, "director-b", now + 1500, look1.signs))).toEqual({ stale: [], stay: false, unsure: false });
  });

  it("never yields to a director killed just after it joined: a fresh heartbeat that stops is no proof", () => {
    const ps = [director("director-a", now - 300), director("director-b", now)];
    const look1 = verdict(ps, "director-b", now);
    expect(look1.stay).toBe(true);
    // a died: its heartbeat is the same at the next look, still within STALE_MS.
    const look2 = verdict(ps, "director-b", now + 1500, look1.signs);
    expect(pick(look2)).toEqual({ stale: [], stay: true, unsure: true });
    // and once it is stale it is removed.
    expect(pick(verdict(ps, "director-b", now + STALE_MS + 1000, look2.signs))).toEqual({ stale: ["director-a"], stay: true, unsure: false });
  });

  it("a director with a stale heartbeat is removed and does not count", () => {
    const ps = [director("director-a", now - 10_000), director("director-b", now - 200)];
    expect(pick(verdict(ps, "director-b", now))).toEqual({ stale: ["director-a"], stay: true, unsure: false });
  });

  it("a director that just joined (no heartbeat yet) counts by its join time, then by its first heartbeat", () => {
    const joined = [director("director-a", null, now - 1000), director("director-b", now)];
    const look1 = verdict(joined, "director-b", now);
    expect(pick(look1)).toEqual({ stale: [], stay: true, unsure: true });
    const beating = [director("director-a", now + 400, now - 1000), director("director-b", now + 1000)];
    expect(verdict(beating, "director-b", now + 1500, look1.signs).stay).toBe(false);
    expect(verdict(joined, "director-b", now + 10_000, look1.signs)).toMatchObject({ stale: ["director-a"], stay: true });
  });
});

describe("a director's look at its room (DuplicateCheck)", () => {
  // LiveKit's RoomService is faked here (a unit test): the integration and cluster suites
  // run the same check against real servers.
  function fakeRooms(lists: ParticipantInfo[][]) {
    const removed: string[] = [];
    const rooms = {
      listParticipants: async () => lists.shift() ?? [],
      removeParticipant: async (_room: string, identity: string) => void removed.push(identity),
    } as unknown as RoomServiceClient;
    return { rooms, removed };
  }
  const live = () => director("director-b", Date.now());

  it("leaves when it is missing from its room on two looks in a row, not on one", async () => {
    const { rooms } = fakeRooms([[live()], [], [live()], [], []]);
    const check = new DuplicateCheck(rooms, "channel-1", "director-b", () => undefined);
    expect(await check.run()).toEqual({ stay: true, unsure: false, gone: false });
    expect(await check.run()).toEqual({ stay: true, unsure: true, gone: false }); // missing once: look again soon
    expect(await check.run()).toEqual({ stay: true, unsure: false, gone: false }); // back (a reconnect)
    expect(await check.run()).toMatchObject({ unsure: true, gone: false });
    expect(await check.run()).toMatchObject({ gone: true });
  });

  it("removes a stale director and yields to a live one only once its heartbeat has moved", async () => {
    const t = Date.now();
    const { rooms, removed } = fakeRooms([
      [live(), director("director-a", t - 500), director("director-0", t - 60_000)],
      [live(), director("director-a", t + 500)],
    ]);
    const check = new DuplicateCheck(rooms, "channel-1", "director-b", () => undefined);
    expect(await check.run()).toEqual({ stay: true, unsure: true, gone: false });
    expect(removed).toEqual(["director-0"]);
    expect(await check.run()).toEqual({ stay: false, unsure: false, gone: false });
  });
});

describe("LevelMeter", () => {
  const loud = new Int16Array(960).fill(3277); // -20 dBov
  it("hands one queued 20 ms level per tick and reports silence when none came", () => {
    const m = new LevelMeter();
    m.push(loud);
    m.push(new Int16Array(960));
    expect(m.take()).toBe(20);
    expect(m.take()).toBe(127);
    expect(m.take()).toBe(127);
  });

  it("splits a 40 ms frame into two 20 ms levels, with the slack on top of a whole frame", () => {
    const m = new LevelMeter(320, 2);
    const frame = new Int16Array(640);
    frame.fill(3277, 0, 320); // -20 dBov, then silence
    m.push(frame);
    expect([m.take(), m.take(), m.take()]).toEqual([20, 127, 127]);
    for (let i = 0; i < 3; i++) m.push(frame);
    expect(m.dropped).toBe(3);
    expect([m.take(), m.take(), m.take(), m.take()]).toEqual([127, 20, 127, 127]);
  });

  it("drops the oldest frames beyond its jitter allowance", () => {
    const m = new LevelMeter();
    for (let i = 0; i < 6; i++) m.push(loud);
    expect(m.dropped).toBe(4);
    let n = 0;
    while (m.take() !== 127) n++;
    expect(n).toBe(2);
  });
});

describe("histories", () => {
  it("keeps the last 10 s of levels, oldest first", () => {
    const h = new LevelHistory();
    for (let i = 0; i < LEVEL_HISTORY_FRAMES + 3; i++) h.push(i % 128);
    const bytes = Buffer.from(h.toBase64(), "base64");
    expect(bytes.length).toBe(LEVEL_HISTORY_FRAMES);
    expect(bytes[0]).toBe(3);
    expect(bytes[bytes.length - 1]).toBe((LEVEL_HISTORY_FRAMES + 2) % 128);
  });

  it("keeps the last 100 decisions", () => {
    const log = new DecisionLog(100);
    for (let i = 0; i < 130; i++) log.add({ t: i, program: `p${i}`, previous: null, reason: "speech", evidence: {} }, i, i);
    expect(log.list()).toHaveLength(100);
    expect(log.list()[0]!.program).toBe("p30");
  });
});

describe("Publisher attributes", () => {
  it("keeps one setAttributes in flight per room and sends what came due meanwhile, newest value per key", async () => {
    const core = new RoomCore({ policy: createPolicy(parseSwitchConfig({})), now: () => 0 });
    core.join("alice", "Alice");
    const calls: Record<string, string>[] = [];
    const finish: (() => void)[] = [];
    const lp = {
      identity: "director-x",
      setAttributes: (a: Record<string, string>) => {
        calls.push(a);
        return new Promise<void>((resolve) => finish.push(resolve));
      },
    } as unknown as LocalParticipant;
    const pub = new Publisher(core, {
      roomName: "channel-1",
      metadata: () => "",
      updateMetadata: async () => {},
      localParticipant: () => lp,
      configForDebug: {},
      log: () => {},
    });
    const health = { pid: 1, startedAt: 0, cpuPercent: 0, rssMb: 0, eventLagMs: 0, eventLagMaxMs: 0, framesDropped: 0 };
    pub.publishAttributes(10_000, health, 0); // levels + heartbeat/debug/trend: one call
    expect(calls).toHaveLength(1);
    expect(Object.keys(calls[0]!)).toContain(ATTR_HEARTBEAT);
    pub.publishAttributes(11_000, health, 0); // due while the first is in flight
    pub.publishAttributes(12_000, health, 0);
    expect(calls).toHaveLength(1);
    finish.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toHaveLength(2); // the two merged, the newer heartbeat winning
    expect(calls[1]![ATTR_HEARTBEAT]).toBe("12000");
    finish.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toHaveLength(2);

    // A call that never settles is given up on after 3 s, so the heartbeat keeps going.
    pub.publishAttributes(20_000, health, 0);
    expect(calls).toHaveLength(3); // in flight, and it will hang
    pub.publishAttributes(21_000, health, 0);
    expect(calls).toHaveLength(3);
    pub.publishAttributes(23_500, health, 0);
    expect(calls).toHaveLength(4);
    expect(calls[3]![ATTR_HEARTBEAT]).toBe("23500");
    pub.publishAttributes(24_500, health, 0); // waits for the new call, not the hung one
    expect(calls).toHaveLength(4);
    finish.shift()!(); // the hung call settles late: it must not release the newer one's slot
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toHaveLength(4);
    finish.pop()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toHaveLength(5);
    expect(calls[4]![ATTR_HEARTBEAT]).toBe("24500");
  });
});
