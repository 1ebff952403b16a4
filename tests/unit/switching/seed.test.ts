import { describe, expect, it } from "vitest";
import { DEFAULT_SWITCH_CONFIG, SeedPolicy, dbovFromRms, rmsFromDbov, type SwitchConfig } from "@/lib/switching";
import { ab, FRAME_MS, Trace, firstTo, run } from "./trace";

function seed(over: Partial<SwitchConfig> = {}): SeedPolicy {
  return new SeedPolicy({ ...DEFAULT_SWITCH_CONFIG, policy: "loudest", ...over });
}

// The loudest dBov that is still not above AUDIO_THRESHOLD = 500.
const QUIET = dbovFromRms(500) + 1;

describe("seed: the original loudest-above-threshold rule", () => {
  it("puts the first reading above the threshold on program at once", () => {
    const tr = ab().constant("a", 1000, 2000, 30);
    const ds = run(seed(), tr.build(1500));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ t: 1000, program: "a", previous: null, reason: "rule" });
    expect(ds[0]?.evidence["rms"]).toBe(Math.round(rmsFromDbov(30)));
  });

  it("ignores readings at or below the threshold, unless the threshold is lowered", () => {
    expect(rmsFromDbov(QUIET)).toBeLessThanOrEqual(500);
    const tr = new Trace().participant("a").constant("a", 1000, 3000, QUIET);
    expect(run(seed(), tr.build(4000))).toEqual([]);
    expect(run(seed({ audioThreshold: 300 }), tr.build(4000))).toHaveLength(1);
  });

  it("switches to a louder fresh reading on the very next frame", () => {
    const tr = ab().constant("a", 500, 5000, 30).constant("b", 2000, 2020, 20);
    const ds = run(seed(), tr.build(5000));
    expect(ds.map((d) => [d.t, d.program])).toEqual([
      [500, "a"],
      [2000, "b"],
      // b's one loud reading keeps it on until it goes stale.
      [2000 + DEFAULT_SWITCH_CONFIG.timeWindowS * 1000, "a"],
    ]);
  });

  it("keeps a stale loud reading for TIME_WINDOW, then lets a quieter talker in", () => {
    const tr = ab().constant("a", 500, 1000, 20).constant("b", 1200, 5000, 30);
    const lastLoud = 1000 - FRAME_MS;
    const at = (over: Partial<SwitchConfig>) => firstTo(run(seed(over), tr.build(5000)), "b")?.t;
    expect(at({})).toBe(lastLoud + 1000);
    expect(at({ timeWindowS: 0.5 })).toBe(lastLoud + 500);
    expect(at({ timeWindowS: 0.1 })).toBe(1200); // a is already stale when b starts
    expect(at({ timeWindowS: 2 })).toBe(lastLoud + 2000);
  });

  it("keeps the program when nobody qualifies (silence)", () => {
    const tr = ab().constant("a", 500, 1000, 20);
    const p = seed();
    expect(run(p, tr.build(10000)).map((d) => d.program)).toEqual(["a"]);
    expect(p.program).toBe("a");
  });

  it("switches on a transient, as the original did", () => {
    const tr = ab().constant("a", 500, 5000, 30).transient("b", 2000, 10, 60);
    expect(firstTo(run(seed(), tr.build(5000)), "b")?.t).toBe(2000);
  });

  it("ignores speakers observations", () => {
    const tr = new Trace().participant("a").speakers(["a"], 500);
    expect(run(seed(), tr.build(2000))).toEqual([]);
  });
});

describe("seed: events", () => {
  it("on the holder leaving, applies the rule at once, else goes to null", () => {
    const tr = ab()
      .constant("a", 500, 3000, 20)
      .constant("b", 500, 3000, 30)
      .leave("a", 2000);
    const ds = run(seed(), tr.build(3000));
    expect(ds.at(-1)).toMatchObject({ t: 2000, program: "b", previous: "a", reason: "holder-left" });

    const alone = ab().constant("a", 500, 1000, 20).leave("a", 4000);
    expect(run(seed(), alone.build(5000)).at(-1)).toMatchObject({ t: 4000, program: null, reason: "holder-left" });
  });

  it("keeps a muted holder until someone qualifies, and drops the muted reading", () => {
    const tr = ab()
      .constant("a", 500, 1000, 20)
      .mute("a", 1100)
      .constant("b", 3000, 3500, 30);
    const ds = run(seed(), tr.build(4000));
    expect(ds.map((d) => [d.t, d.program])).toEqual([
      [500, "a"],
      [3000, "b"],
    ]);
    // Without the mute, a's fresh reading would still win at 1500; muted, b wins at once.
    const early = ab()
      .constant("a", 500, 1000, 20)
      .mute("a", 1000)
      .constant("b", 1020, 1500, 30);
    expect(firstTo(run(seed(), early.build(2000)), "b")?.t).toBe(1020);
  });

  it("honours pin and unpin", () => {
    const tr = ab()
      .constant("a", 500, 6000, 20)
      .pin("b", 1000)
      .pin(null, 3000);
    const p = seed();
    const ds = run(p, tr.build(4000));
    expect(ds.map((d) => [d.t, d.program, d.reason])).toEqual([
      [500, "a", "rule"],
      [1000, "b", "pin"],
      [3000, "a", "unpin"],
    ]);
    expect(p.pinned).toBeNull();

    // Unpin in silence keeps the pinned participant.
    const quiet = ab().pin("b", 1000).pin(null, 3000);
    expect(run(seed(), quiet.build(4000)).map((d) => d.program)).toEqual(["b"]);
  });
});
