/**
 * The director's pure core, driven as the host drives it: a fake room (the calls the
 * room input makes) and a fake clock (FrameClock stepped by hand). The real default
 * policy decides; nothing here touches LiveKit.
 */
import { describe, expect, it } from "vitest";
import type { LocalParticipant } from "@livekit/rtc-node";
import { ACTIVITY_MAX, ATTR_PREVIEW, parsePin, parsePreviewAttr, withPin } from "@/lib/room-state";
import { parseRoles, parseShotLength, parseTake, rolesOver, shotLengthOver, takeOver, withRoles, withShotLength, withTake } from "@/lib/room-state";
import { parseProgram, withProgram } from "@/lib/room-state";
import { createDirector } from "@/lib/switching";
import { parseSwitchConfig } from "@/lib/switching/config";
import { FrameClock } from "@/worker/clock";
import { FRAME_MS, RoomCore } from "@/worker/core";
import { Publisher } from "@/worker/publisher";

const SILENCE = 127;
const FLOOR = 70;
const TALK = 25;

/** A fake room around one core: participants, a level script, a metadata store, a clock. */
class FakeRoom {
  readonly core: RoomCore;
  metadata: string;
  wall = 1_700_000_000_000;
  private readonly clock: FrameClock;
  private mono = 0;
  /** id -> level per frame while a talk segment runs */
  private readonly talking = new Map<string, number>();
  readonly writes: string[] = [];
  /** Another director in the room, as the room input would report it. */
  otherDirector = true;

  constructor(metadata = "", policy = "ours", env: Record<string, string> = {}) {
    this.metadata = metadata;
    this.clock = new FrameClock(0);
    this.core = new RoomCore({
      policy: createDirector(parseSwitchConfig({ SWITCH_POLICY: policy, ...env })),
      now: () => this.wall,
      otherDirectorHere: () => this.otherDirector,
    });
    this.core.adopt(metadata);
  }

  join(id: string, name = id.toUpperCase()): this {
    this.core.join(id, name);
    this.core.mute(id, false);
    return this;
  }

  /** Advance the clock by `ms`, stepping every due frame with the scripted levels. */
  run(ms: number): this {
    const end = this.mono + ms;
    while (this.mono < end) {
      this.mono += FRAME_MS;
      this.wall += FRAME_MS;
      for (const t of this.clock.due(this.mono)) {
        const levels: Record<string, number> = {};
        for (const m of this.core.memberList()) {
          if (m.muted) continue;
          // speech: syllables with short dips, like the policy's unit traces
          const base = this.talking.get(m.id);
          levels[m.id] = base === undefined ? FLOOR : Math.floor(t / 200) % 4 === 3 ? base + 12 : base;
        }
        this.core.step(t, levels);
      }
      this.flush();
    }
    return this;
  }

  talk(id: string, ms: number, dbov = TALK): this {
    this.talking.set(id, dbov);
    this.run(ms);
    this.talking.delete(id);
    return this;
  }

  /** The publisher's job, done synchronously: write what the core says must be written. */
  flush(): void {
    if (!this.core.programDirty) return;
    this.core.programDirty = false;
    const next = this.core.metadataToWrite(this.metadata);
    if (next === null) return;
    this.writes.push(next);
    this.setMetadata(next);
  }

  /** Metadata written by someone else (an admin's pin), as LiveKit would deliver it. */
  setMetadata(md: string): void {
    this.metadata = md;
    this.core.metadata(md);
  }

  get program() {
    return parseProgram(this.metadata);
  }
}

describe("director core: decisions reach the room's metadata", () => {
  it("puts a talker on program with name, reason and seq, and writes it once", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(500).talk("alice", 1500);
    expect(r.program).toMatchObject({ program: "alice", name: "ALICE", reason: "speech", seq: 1, pinned: null });
    expect(r.writes).toHaveLength(1);
    r.run(2000);
    expect(r.writes).toHaveLength(1);
    expect(r.core.metadataToWrite(r.metadata)).toBeNull();
  });

  it("keeps other metadata keys when it writes", () => {
    const r = new FakeRoom(JSON.stringify({ note: "kept" })).join("alice");
    r.run(200).talk("alice", 1500);
    expect(JSON.parse(r.metadata)).toMatchObject({ note: "kept", director: { program: "alice" } });
  });

  it("does not cut on a 150 ms click in silence", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500).run(1500);
    r.talk("bob", 150, 10).run(2000);
    expect(r.program?.program).toBe("alice");
  });

  it("hands over to a new talker after the holder stops", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 2000).run(1200).talk("bob", 2000);
    expect(r.program).toMatchObject({ program: "bob", seq: 2 });
    expect(r.core.decisions.list().map((d) => [d.program, d.reason])).toEqual([
      ["alice", "speech"],
      ["bob", "speech"],
    ]);
  });

  it("moves on when the holder leaves, and when the holder mutes", () => {
    const r = new FakeRoom().join("alice").join("bob").join("carol");
    r.run(300).talk("bob", 1500).run(500).talk("alice", 2000);
    expect(r.program?.program).toBe("alice");
    r.core.leave("alice");
    r.run(40);
    expect(r.program).toMatchObject({ program: "bob", reason: "holder-left" });
    r.core.mute("bob", true);
    r.run(40);
    // bob is muted; nobody else has spoken, so the muted holder stays (no black program)
    expect(r.program?.program).toBe("bob");
    r.talk("carol", 1500);
    expect(r.program).toMatchObject({ program: "carol", reason: "speech" });
  });

  it("levels of a muted member read as silence in its history", () => {
    const r = new FakeRoom().join("alice");
    r.core.mute("alice", true);
    r.run(100);
    const alice = [...r.core.memberList()].find((m) => m.id === "alice")!;
    expect(alice.level).toBe(SILENCE);
    expect(Buffer.from(alice.history.toBase64(), "base64").every((b) => b === SILENCE)).toBe(true);
  });
});

describe("director core: pins", () => {
  const pinned = (md: string, identity: string | null, at: number) => withPin(md, { identity, at });

  it("a pin cuts at once, holds while others talk, and unpin hands back to the talker", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    r.setMetadata(pinned(r.metadata, "bob", 1));
    r.run(40);
    expect(r.program).toMatchObject({ program: "bob", reason: "pin", pinned: "bob" });
    r.talk("alice", 3000);
    expect(r.program?.program).toBe("bob");
    r.setMetadata(pinned(r.metadata, null, 2));
    r.talk("alice", 100);
    expect(r.program).toMatchObject({ program: "alice", reason: "unpin", pinned: null });
    expect(r.core.activity.map((a) => [a.kind, a.identity])).toEqual([
      ["pin", "bob"],
      ["unpin", "bob"],
    ]);
  });

  it("a pin on the holder changes no decision but is shown", () => {
    const r = new FakeRoom().join("alice");
    r.run(300).talk("alice", 1500);
    const seq = r.program!.seq;
    r.setMetadata(pinned(r.metadata, "alice", 5));
    r.run(40);
    expect(r.program).toMatchObject({ program: "alice", pinned: "alice", seq: seq + 1, reason: "speech" });
  });

  it("when the pinned participant leaves, the decision clears the pin on every screen", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    r.setMetadata(pinned(r.metadata, "bob", 7));
    r.run(40);
    r.core.leave("bob");
    r.run(40);
    expect(r.program).toMatchObject({ program: "alice", reason: "holder-left", pinned: null });
    // the pin in the metadata stays as the admin wrote it; the director's record says it ended
    expect(parsePin(r.metadata)?.identity).toBe("bob");
  });

  it("repairs an admin write that carried an older program, keeping the admin's pin", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500).run(1200).talk("bob", 1500);
    const old = withProgram(r.metadata, { ...r.program!, program: "alice", seq: 1 });
    r.setMetadata(pinned(old, null, 9)); // an unpin written from a stale copy
    expect(r.core.programDirty).toBe(true);
    r.flush();
    expect(r.program).toMatchObject({ program: "bob", seq: 2 });
    expect(parsePin(r.metadata)).toEqual({ identity: null, at: 9 });
  });

  it("writes its newest pin back over a copy that dropped it", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    r.setMetadata(pinned(r.metadata, "bob", 11));
    r.run(40);
    const withoutPin = JSON.stringify({ director: r.program });
    r.setMetadata(withoutPin);
    r.flush();
    expect(parsePin(r.metadata)).toEqual({ identity: "bob", at: 11 });
  });

  it("supersedes another director's program written with the same seq (a LiveKit node died)", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    const ours = r.program!;
    // the old director of this room wrote "holder-left" with the seq we also hold
    r.setMetadata(withProgram(r.metadata, { ...ours, program: null, name: null, reason: "holder-left" }));
    expect(r.core.programDirty).toBe(true);
    r.flush();
    expect(r.program).toMatchObject({ program: "alice", seq: ours.seq + 1 });
    r.run(500);
    expect(r.program?.seq).toBe(ours.seq + 1);
  });

  it("never fights a newer program from another director", () => {
    const r = new FakeRoom().join("alice");
    r.run(300).talk("alice", 1500);
    r.setMetadata(withProgram(r.metadata, { ...r.program!, program: "zed", seq: 99 }));
    expect(r.core.programDirty).toBe(false);
    r.run(1000);
    expect(r.program).toMatchObject({ program: "zed", seq: 99 });
  });

  it("supersedes a newer program once its director has gone (its last write landed after ours)", () => {
    const r = new FakeRoom().join("alice");
    r.run(300).talk("alice", 1500);
    // A departing director's late "holder-left" lands over our cut while it is still listed ...
    r.setMetadata(withProgram(r.metadata, { ...r.program!, program: null, seq: r.program!.seq + 1 }));
    expect(r.core.programDirty).toBe(false);
    // ... then it leaves: ours goes back on screen with a newer seq.
    r.otherDirector = false;
    r.core.directorLeft();
    expect(r.core.programDirty).toBe(true);
    r.flush();
    expect(r.program).toMatchObject({ program: "alice" });
    const seq = r.program!.seq;
    // A late write arriving when no other director is here at all is superseded at once.
    r.setMetadata(withProgram(r.metadata, { ...r.program!, program: null, reason: "wide", seq: seq + 1 }));
    r.flush();
    expect(r.program).toMatchObject({ program: "alice", seq: seq + 2 });
  });
});

describe("director core: a restart", () => {
  it("keeps the program on screen until it decides, then continues the sequence", () => {
    const onScreen = withProgram("", { program: "alice", name: "ALICE", since: 1, reason: "speech", seq: 41, pinned: null, shot: "speaker" });
    const r = new FakeRoom(onScreen).join("alice").join("bob");
    r.run(1000);
    expect(r.program).toMatchObject({ program: "alice", seq: 41 });
    expect(r.writes).toHaveLength(0);
    r.talk("bob", 1500);
    expect(r.program).toMatchObject({ program: "bob", seq: 42 });
  });

  it("picks up a pin that was set while no director ran", () => {
    const md = withPin(withProgram("", { program: "alice", name: "A", since: 1, reason: "speech", seq: 3, pinned: null, shot: "speaker" }), { identity: "bob", at: 5 });
    const r = new FakeRoom(md).join("alice").join("bob");
    r.run(40);
    expect(r.program).toMatchObject({ program: "bob", reason: "pin", pinned: "bob", seq: 4 });
  });
});

describe("director core: the vision mixer's inputs, from the room's metadata", () => {
  const role = (r: FakeRoom, id: string, value: "auto" | "favor" | "never", at: number) => r.setMetadata(withRoles(r.metadata, rolesOver(r.metadata, id, value, at)));
  const take = (r: FakeRoom, id: string | null, shot: "speaker" | "wide", at: number) => r.setMetadata(withTake(r.metadata, takeOver(r.metadata, id, shot, at)));

  it("goes wide after a free floor on every screen, keeping the speaker and their time on program", () => {
    const r = new FakeRoom("", "ours", { SWITCH_WIDE_AFTER_MS: "3000" }).join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    const on = r.program!;
    expect(on).toMatchObject({ program: "alice", shot: "speaker" });
    r.run(2500);
    expect(r.program?.shot).toBe("speaker");
    r.run(1500);
    expect(r.program).toMatchObject({ program: "alice", shot: "wide", reason: "wide", since: on.since, seq: on.seq + 1 });
    r.talk("bob", 1500);
    expect(r.program).toMatchObject({ program: "bob", shot: "speaker", reason: "speech" });
  });

  it("logs each admin input it applies in the activity log, but not what was set before it joined", () => {
    const md = withShotLength(withRoles("", rolesOver("", "bob", "never", 5)), shotLengthOver("", 3000, 5));
    const r = new FakeRoom(md).join("alice").join("bob").join("carol");
    r.run(300);
    expect(r.core.activity.filter((a) => ["role", "shot_length", "take", "wide"].includes(a.kind))).toEqual([]);
    role(r, "bob", "auto", 10);
    role(r, "carol", "favor", 11);
    take(r, "alice", "speaker", 12);
    take(r, null, "wide", 13);
    r.setMetadata(withShotLength(r.metadata, shotLengthOver(r.metadata, null, 14)));
    r.run(40);
    expect(r.core.activity.filter((a) => ["role", "shot_length", "take", "wide"].includes(a.kind)).map((a) => [a.at, a.kind, a.identity, a.detail])).toEqual([
      [10, "role", "bob", "auto"],
      [11, "role", "carol", "favor"],
      [12, "take", "alice", "admin"],
      [13, "wide", null, "admin"],
      [14, "shot_length", null, "default"],
    ]);
  });

  it("reads roles on adopt, so a restarted director keeps a never participant off program", () => {
    const md = withRoles("", rolesOver("", "bob", "never", 5));
    const r = new FakeRoom(md).join("alice").join("bob");
    r.run(300).talk("bob", 3000);
    expect(r.program).toBeNull();
    r.talk("alice", 1500);
    expect(r.program?.program).toBe("alice");
  });

  it("applies a role change live: never moves off the holder, auto lets them back", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500).run(1000).talk("bob", 1500);
    expect(r.program?.program).toBe("bob");
    role(r, "bob", "never", 10);
    r.run(40);
    expect(r.program).toMatchObject({ program: "alice", reason: "holder-muted", shot: "speaker" });
    r.run(1000).talk("bob", 2000);
    expect(r.program?.program).toBe("alice");
    role(r, "bob", "auto", 11);
    r.run(1000).talk("bob", 1500);
    expect(r.program?.program).toBe("bob");
    // our own writes carry the roles on, and echo back without re-applying anything
    expect(parseRoles(r.metadata)?.roles).toEqual({});
  });

  it("applies a take once, at the next frame, and then carries on by itself", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    take(r, "bob", "speaker", 20);
    r.run(FRAME_MS);
    expect(r.program).toMatchObject({ program: "bob", reason: "take", shot: "speaker" });
    // the metadata with the take comes back with each of our writes; it is not applied again
    r.run(500).talk("alice", 3000);
    expect(r.program).toMatchObject({ program: "alice", reason: "speech" });
    r.run(3000);
    expect(r.program?.program).toBe("alice");
    expect(r.core.decisions.list().filter((d) => d.reason === "take")).toHaveLength(1);
  });

  it("a wide take goes wide; a take of someone not in the room is ignored", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    const seq = r.program!.seq;
    take(r, "ghost", "speaker", 30);
    r.run(100);
    expect(r.program).toMatchObject({ program: "alice", seq });
    take(r, null, "wide", 31);
    r.run(FRAME_MS);
    expect(r.program).toMatchObject({ program: "alice", shot: "wide", reason: "take" });
    expect(parseTake(r.metadata)).toMatchObject({ identity: null, shot: "wide" });
  });

  it("does not replay a take that was in the metadata before it joined", () => {
    const onScreen = withProgram("", { program: "alice", name: "ALICE", since: 1, reason: "speech", seq: 7, pinned: null, shot: "speaker" });
    const r = new FakeRoom(withTake(onScreen, { identity: "bob", shot: "speaker", at: 40 })).join("alice").join("bob");
    r.run(500);
    expect(r.program).toMatchObject({ program: "alice", seq: 7 });
    take(r, "bob", "speaker", 41);
    r.run(FRAME_MS);
    expect(r.program).toMatchObject({ program: "bob", reason: "take", seq: 8 });
  });

  it("a shot length in the metadata overrides SWITCH_DWELL_MS live, and null restores it", () => {
    const handover = (shotLengthMs?: number | null): number => {
      const r = new FakeRoom().join("alice").join("bob");
      if (shotLengthMs !== undefined) r.setMetadata(withShotLength(r.metadata, shotLengthOver(r.metadata, 4000, 50)));
      if (shotLengthMs === null) r.setMetadata(withShotLength(r.metadata, shotLengthOver(r.metadata, null, 51)));
      r.run(300).talk("alice", 700).run(500).talk("bob", 6000);
      const [a, b] = r.core.decisions.list();
      expect([a?.program, b?.program]).toEqual(["alice", "bob"]);
      return b!.at - a!.at;
    };
    const plain = handover();
    expect(plain).toBeLessThan(4000);
    expect(handover(4000)).toBeGreaterThanOrEqual(4000);
    expect(handover(null)).toBe(plain);
  });

  it("writes the newest roles, take and shot length back over a copy that dropped them", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    role(r, "bob", "favor", 60);
    r.setMetadata(withShotLength(r.metadata, shotLengthOver(r.metadata, 2500, 61)));
    take(r, null, "wide", 62);
    r.run(40);
    r.setMetadata(JSON.stringify({ director: { ...r.program!, seq: r.program!.seq } }));
    r.flush();
    expect(parseRoles(r.metadata)).toEqual({ roles: { bob: "favor" }, at: 60 });
    expect(parseShotLength(r.metadata)).toEqual({ ms: 2500, at: 61 });
    expect(parseTake(r.metadata)).toMatchObject({ shot: "wide", at: 62 });
    expect(r.core.decisions.list().filter((d) => d.reason === "take")).toHaveLength(1);
  });

  it("learns an admin input its metadata never showed (LiveKit coalesced it away) from the app's message, and writes it back", () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 1500);
    // The app writes a shot length; before that update reaches us, we write a program from
    // our older copy. LiveKit delivers only the last update: ours, without the shot length.
    const adminWrite = withShotLength(r.metadata, shotLengthOver(r.metadata, 60_000, 70));
    const ours = r.metadata;
    r.setMetadata(ours);
    r.flush();
    expect(parseShotLength(r.metadata)).toBeNull();
    // The app's direct message: the core takes the input and must write it back.
    r.core.adminInputs(adminWrite, r.metadata);
    expect(r.core.programDirty).toBe(true);
    r.flush();
    expect(parseShotLength(r.metadata)).toEqual({ ms: 60_000, at: 70 });
    // And it is in force: bob's long talk does not cut within the shot length.
    r.run(500).talk("bob", 6000);
    expect(r.program?.program).toBe("alice");
    // The message is idempotent: the same input again changes nothing.
    r.core.adminInputs(adminWrite, r.metadata);
    expect(r.core.programDirty).toBe(false);
  });

  it("publishes the preview lane with the levels, only when it changes", async () => {
    const r = new FakeRoom().join("alice").join("bob");
    r.run(300).talk("alice", 3000);
    const calls: Record<string, string>[] = [];
    const lp = { identity: "director-x", setAttributes: async (a: Record<string, string>) => void calls.push(a) } as unknown as LocalParticipant;
    const pub = new Publisher(r.core, { roomName: "channel-1", metadata: () => r.metadata, updateMetadata: async () => {}, localParticipant: () => lp, configForDebug: {}, log: () => {} });
    const health = { pid: 1, startedAt: 0, cpuPercent: 0, rssMb: 0, eventLagMs: 0, eventLagMaxMs: 0, framesDropped: 0 };
    let now = 100_000;
    const publish = async (): Promise<ReturnType<typeof parsePreviewAttr> | undefined> => {
      calls.length = 0;
      pub.publishAttributes((now += 250), health, 0);
      await new Promise((res) => setTimeout(res, 0));
      const v = calls.find((c) => ATTR_PREVIEW in c)?.[ATTR_PREVIEW];
      return v === undefined ? undefined : parsePreviewAttr(v);
    };
    expect(await publish()).toMatchObject({ identity: null, progress: 0 });
    expect(await publish()).toBeUndefined(); // unchanged: not sent again
    r.run(1500).talk("bob", 100);
    const first = await publish();
    expect(first).toMatchObject({ identity: "bob", at: now });
    expect(first!.progress).toBeGreaterThan(0);
    expect(first!.progress).toBeLessThan(1);
    expect(r.program?.program).toBe("alice");
    r.talk("bob", 60);
    const later = await publish();
    expect(later?.identity).toBe("bob");
    expect(later!.progress).toBeGreaterThan(first!.progress);
  });
});

describe("director core: the seed policy through the same core", () => {
  it("cuts to the loudest above the threshold", () => {
    const r = new FakeRoom("", "seed").join("alice").join("bob");
    r.talk("alice", 200);
    expect(r.program?.program).toBe("alice");
    expect(r.core.policy.speaking("alice")).toBe(true);
    r.run(20);
    expect(r.core.policy.speaking("alice")).toBe(false);
    r.talk("bob", 100, TALK - 5); // strictly louder wins; on a tie the holder keeps it
    expect(r.program?.program).toBe("bob");
  });
});

describe("director core: activity and quality", () => {
  it("keeps the activity log ordered and bounded", () => {
    const r = new FakeRoom().join("alice");
    for (let i = ACTIVITY_MAX + 5; i > 0; i--) r.core.addActivity({ at: i, kind: "mute", identity: "alice", name: null, detail: "admin" });
    expect(r.core.activity).toHaveLength(ACTIVITY_MAX);
    expect(r.core.activity[0]!.at).toBe(6);
    expect(r.core.activityDirty).toBe(true);
  });

  it("reports quality only for present members and only on change", () => {
    const r = new FakeRoom().join("alice");
    r.core.setQuality("alice", "good");
    expect(r.core.qualityDirty).toBe(true);
    r.core.qualityDirty = false;
    r.core.setQuality("alice", "good");
    r.core.setQuality("ghost", "poor");
    expect(r.core.qualityDirty).toBe(false);
    r.core.leave("alice");
    expect(r.core.qualityDirty).toBe(true);
    expect(r.core.quality()).toEqual({});
  });
});

describe("frame clock", () => {
  it("runs every due frame once, in order, without drift", () => {
    const c = new FrameClock(0);
    expect(c.due(0)).toEqual([0]);
    expect(c.due(19)).toEqual([]);
    expect(c.delay(19)).toBe(1);
    expect(c.due(65)).toEqual([20, 40, 60]);
    expect(c.due(80)).toEqual([80]);
    expect(c.dropped).toBe(0);
  });

  it("skips ahead after a stall instead of bursting, and counts what it skipped", () => {
    const c = new FrameClock(0);
    c.due(0);
    expect(c.due(1000)).toEqual([1000]);
    expect(c.dropped).toBe(Math.floor(980 / FRAME_MS));
    expect(c.lagMaxMs).toBeGreaterThanOrEqual(980);
  });
});
