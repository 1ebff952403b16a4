/**
 * The vision mixer over the real policies: wide shots (free floor, crosstalk, ping-pong)
 * and back, director roles, takes and the shot length. Synthetic traces (./trace.ts).
 */
import { describe, expect, it } from "vitest";
import {
  CLEAR_TALKER_MS,
  DEFAULT_SWITCH_CONFIG,
  FAVOR_MARGIN_DB,
  Mixer,
  OursPolicy,
  PINGPONG_CLEAR_MS,
  PINGPONG_WINDOW_MS,
  SeedPolicy,
  TAKE_HOLD_MS,
  createDirector,
  type Decision,
  type Observation,
  type SwitchConfig,
} from "@/lib/switching";
import { cutsFromDecisions } from "@/lab/metrics";
import { ab, Trace, firstTo, programAt, run } from "./trace";

const C = DEFAULT_SWITCH_CONFIG;
const A_STYLE = { syllableMs: 180, dipMs: 70 };
const B_STYLE = { syllableMs: 230, dipMs: 50 };
const C_STYLE = { syllableMs: 210, dipMs: 60 };

function mixer(over: Partial<SwitchConfig> = {}): Mixer {
  return createDirector({ ...C, ...over });
}

/** The shot at time t according to the decisions. */
function shotAt(ds: readonly Decision[], t: number): string {
  let shot = "speaker";
  for (const d of ds) if (d.t <= t) shot = d.shot ?? "speaker";
  return shot;
}

function firstShot(ds: readonly Decision[], shot: "speaker" | "wide", from = 0): Decision | undefined {
  return ds.find((d) => d.t >= from && d.shot === shot);
}

/** A meeting with a bit of everything: turns, a handover, a takeover, a cough, a long silence. */
function meeting(): Observation[] {
  return new Trace(3)
    .participant("a")
    .participant("b")
    .participant("c")
    .speech("a", 500, 4000, 22, A_STYLE)
    .speech("b", 4600, 8000, 24, B_STYLE)
    .transient("c", 6000, 20, 120)
    .speech("c", 7000, 11000, 12, C_STYLE)
    .speech("a", 24000, 26000, 22, A_STYLE)
    .speech("b", 26100, 27000, 24, B_STYLE)
    .speech("a", 27100, 28000, 22, A_STYLE)
    .speech("b", 28100, 30000, 24, B_STYLE)
    .build(34000);
}

describe("mixer: the policy still decides who is on program", () => {
  it("with every wide rule off, makes exactly the policy's decisions, as speaker shots", () => {
    const obs = meeting();
    const bare = run(new OursPolicy(C), obs);
    const mixed = run(mixer({ wideAfterMs: 0, crosstalkMs: 0, pingPongCuts: 0 }), obs);
    expect(bare.length).toBeGreaterThan(2);
    expect(mixed.map(({ shot: _shot, ...d }) => d)).toEqual(bare);
    expect(mixed.every((d) => d.shot === "speaker")).toBe(true);
  });

  it("with the wide rules on, the programs and their times are still the policy's", () => {
    const obs = meeting();
    const mixed = run(mixer(), obs);
    expect(mixed.some((d) => d.shot === "wide")).toBe(true);
    expect(cutsFromDecisions(mixed)).toEqual(cutsFromDecisions(run(new OursPolicy(C), obs)));
  });
});

describe("mixer: wide after a free floor", () => {
  it("goes wide after SWITCH_WIDE_AFTER_MS of nobody talking, keeping the last speaker", () => {
    for (const wideAfterMs of [4000, 8000]) {
      const ds = run(mixer({ wideAfterMs }), ab().speech("a", 1000, 3000, 20).build(20000));
      const wide = firstShot(ds, "wide");
      expect(wide).toMatchObject({ program: "a", previous: "a", reason: "wide", shot: "wide" });
      // a stopped at 3000; "talking" lingers a little past the last syllable
      expect(wide!.t - 3000).toBeGreaterThanOrEqual(wideAfterMs);
      expect(wide!.t - 3000).toBeLessThanOrEqual(wideAfterMs + 1000);
      expect(wide!.evidence["silentMs"]).toBeGreaterThanOrEqual(wideAfterMs);
    }
  });

  it("never goes wide with SWITCH_WIDE_AFTER_MS=0", () => {
    const ds = run(mixer({ wideAfterMs: 0 }), ab().speech("a", 1000, 3000, 20).build(30000));
    expect(ds.every((d) => d.shot === "speaker")).toBe(true);
  });

  it("a new talker cuts straight back to a speaker shot, as fast as the policy cuts", () => {
    const tr = ab().speech("a", 1000, 3000, 20).speech("b", 14000, 17000, 22, B_STYLE);
    const ds = run(mixer(), tr.build(18000));
    const back = firstTo(ds, "b");
    expect(shotAt(ds, 13900)).toBe("wide");
    expect(back).toMatchObject({ program: "b", reason: "speech", shot: "speaker" });
    const bare = firstTo(run(new OursPolicy(C), tr.build(18000)), "b");
    expect(back!.t).toBe(bare!.t);
  });

  it("stays wide when the program moves to someone silent (the holder left in silence)", () => {
    const tr = ab().speech("b", 500, 1500, 20, B_STYLE).speech("a", 2500, 4000, 20).leave("a", 14000);
    const ds = run(mixer(), tr.build(16000));
    expect(shotAt(ds, 13900)).toBe("wide");
    expect(ds.find((d) => d.t >= 14000)).toMatchObject({ t: 14000, program: "b", reason: "holder-left", shot: "wide" });
  });

    it("the last speaker resuming alone returns to them once they talk clearly", () => {
    const ds = run(mixer(), ab().speech("a", 1000, 3000, 20).speech("a", 14000, 17000, 20).build(18000));
    expect(shotAt(ds, 13900)).toBe("wide");
    const back = firstShot(ds, "speaker", 14000);
    expect(back).toMatchObject({ program: "a", shot: "speaker" });
    expect(back!.t - 14000).toBeGreaterThanOrEqual(CLEAR_TALKER_MS);
    expect(back!.t - 14000).toBeLessThanOrEqual(CLEAR_TALKER_MS + 700);
  });
});

describe("mixer: wide on crosstalk", () => {
  // a holds the floor; b talks over a at the same loudness (no takeover margin), then stops.
  const crosstalk = (): Trace =>
    ab()
      .speech("a", 1000, 12000, 22, A_STYLE)
      .speech("b", 3000, 8000, 22, B_STYLE);

  it("goes wide once two have talked at once for SWITCH_CROSSTALK_MS, and back when one talks alone", () => {
    for (const crosstalkMs of [1000, 2000]) {
      const ds = run(mixer({ crosstalkMs }), crosstalk().build(13000));
      const wide = firstShot(ds, "wide");
      expect(wide).toMatchObject({ program: "a", reason: "wide" });
      expect(wide!.evidence["wide_crosstalk"]).toBe(1);
      expect(wide!.t - 3000).toBeGreaterThanOrEqual(crosstalkMs);
      expect(wide!.t - 3000).toBeLessThanOrEqual(crosstalkMs + 800);
      expect(shotAt(ds, 7900)).toBe("wide");
      const back = firstShot(ds, "speaker", wide!.t);
      expect(back).toMatchObject({ program: "a", shot: "speaker" });
      expect(back!.t).toBeGreaterThan(8000);
      expect(back!.t).toBeLessThan(8000 + 1500);
    }
  });

  it("never goes wide on crosstalk with SWITCH_CROSSTALK_MS=0", () => {
    const ds = run(mixer({ crosstalkMs: 0 }), crosstalk().build(13000));
    expect(ds.every((d) => d.shot === "speaker")).toBe(true);
  });

  it("quiet side talk under the speaker is not crosstalk", () => {
    // b and c whisper to each other, well under a, all through a's turn
    const tr = ab()
      .participant("c")
      .speech("a", 1000, 9000, 20, A_STYLE)
      .speech("b", 2000, 9000, 32, B_STYLE)
      .speech("c", 2000, 9000, 32, C_STYLE);
    const ds = run(mixer(), tr.build(9000));
    expect(programAt(ds, 9000)).toBe("a");
    expect(ds.every((d) => d.shot === "speaker")).toBe(true);
    // the same two at a's level are crosstalk
    const loud = ab()
      .participant("c")
      .speech("a", 1000, 9000, 20, A_STYLE)
      .speech("b", 2000, 9000, 20, B_STYLE)
      .speech("c", 2000, 9000, 20, C_STYLE);
    expect(firstShot(run(mixer(), loud.build(9000)), "wide")).toBeDefined();
  });

  it("two phones hearing one voice are not crosstalk", () => {
    // b's phone hears a's voice 6 dB down, syllable for syllable.
    const tr = ab().speech("a", 1000, 9000, 20, A_STYLE).speech("b", 1000, 9000, 26, A_STYLE);
    const ds = run(mixer(), tr.build(9000));
    expect(ds.every((d) => d.shot === "speaker")).toBe(true);
  });
});

describe("mixer: wide on ping-pong", () => {
  // Quick alternating turns: a, b, a, b, then b carries on alone.
  const pingPong = (): Trace =>
    ab()
      .speech("a", 1000, 2400, 20, A_STYLE)
      .speech("b", 2900, 4300, 20, B_STYLE)
      .speech("a", 4800, 6200, 20, A_STYLE)
      .speech("b", 6700, 12000, 20, B_STYLE);

  it("goes wide on the third cut within 6 s, and back once one talker holds the floor alone", () => {
    const ds = run(mixer(), pingPong().build(13000));
    const cuts = ds.filter((d) => d.previous !== null && d.program !== d.previous);
    expect(cuts.length).toBeGreaterThanOrEqual(3);
    const wide = firstShot(ds, "wide");
    // the third speaker-to-speaker cut is itself the wide decision: program b, shot wide
    expect(wide).toMatchObject({ program: "b", previous: "a", reason: "wide" });
    expect(wide!.evidence["cuts"]).toBe(C.pingPongCuts);
    const counted = cuts.filter((d) => d.t <= wide!.t);
    expect(wide!.t - counted[counted.length - C.pingPongCuts]!.t).toBeLessThan(PINGPONG_WINDOW_MS);
    const back = firstShot(ds, "speaker", wide!.t);
    expect(back).toMatchObject({ program: "b", shot: "speaker" });
    expect(back!.t - wide!.t).toBeGreaterThanOrEqual(PINGPONG_CLEAR_MS);
    expect(back!.t).toBeLessThan(12000);
  });

  it("does not count cuts further apart than 6 s, nor with SWITCH_PINGPONG_CUTS=0", () => {
    expect(run(mixer({ pingPongCuts: 0, wideAfterMs: 0 }), pingPong().build(13000)).every((d) => d.shot === "speaker")).toBe(true);
    const slow = ab()
      .speech("a", 1000, 4000, 20, A_STYLE)
      .speech("b", 4500, 7500, 20, B_STYLE)
      .speech("a", 8000, 11000, 20, A_STYLE)
      .speech("b", 11500, 14500, 20, B_STYLE);
    expect(run(mixer(), slow.build(15000)).every((d) => d.shot === "speaker")).toBe(true);
  });

  it("works over the loudest policy too", () => {
    const ds = run(mixer({ policy: "loudest" }), pingPong().build(13000));
    expect(firstShot(ds, "wide")).toBeDefined();
  });
});

describe("mixer: director roles", () => {
  const roles = (t: number, r: Record<string, "favor" | "never">): Observation => ({ type: "roles", t, roles: r });

  it("never: a participant who talks alone stays off program", () => {
    const tr = ab().event(roles(0, { b: "never" })).speech("b", 1000, 5000, 15);
    const ds = run(mixer(), tr.build(6000));
    expect(ds.some((d) => d.program === "b")).toBe(false);
    // and without the role, the same talk cuts to them
    expect(firstTo(run(mixer(), ab().speech("b", 1000, 5000, 15).build(6000)), "b")).toBeDefined();
  });

  it("never: their speaking dot still lights while they talk (a shadow policy hears them)", () => {
    const obs = ab().event(roles(0, { b: "never" })).speech("b", 1000, 4000, 15).build(6000);
    for (const policy of ["evidence", "loudest"] as const) {
      const m = mixer({ policy });
      const seen: Array<{ t: number; b: boolean; a: boolean }> = [];
      for (const o of obs) {
        m.observe(o);
        if (o.type === "levels") seen.push({ t: o.t, b: m.speaking("b"), a: m.speaking("a") });
      }
      expect(seen.some((s) => s.t > 1000 && s.t < 4000 && s.b), policy).toBe(true);
      expect(seen.filter((s) => s.t < 900 || s.t > 5500).some((s) => s.b), policy).toBe(false);
      expect(seen.some((s) => s.a), policy).toBe(false);
      expect(m.program, policy).not.toBe("b");
    }
  });

  it("never on the holder moves off them, to the last other speaker", () => {
    const tr = ab()
      .speech("a", 500, 2000, 20, A_STYLE)
      .speech("b", 2600, 8000, 20, B_STYLE)
      .event(roles(5000, { b: "never" }));
    const ds = run(mixer(), tr.build(9000));
    expect(programAt(ds, 4900)).toBe("b");
    const off = ds.find((d) => d.t >= 5000);
    expect(off).toMatchObject({ t: 5000, program: "a", previous: "b", reason: "holder-muted", shot: "speaker" });
    expect(programAt(ds, 9000)).toBe("a");
  });

  it("never on the only speaker leaves nobody on program, on a wide shot", () => {
    const tr = ab().speech("b", 500, 4000, 20).event(roles(3000, { b: "never" }));
    const ds = run(mixer(), tr.build(5000));
    expect(ds.find((d) => d.t >= 3000)).toMatchObject({ t: 3000, program: null, previous: "b", shot: "wide" });
  });

  it("lifting never lets their talk count again", () => {
    const tr = ab()
      .event(roles(0, { b: "never" }))
      .speech("b", 1000, 3000, 15)
      .event(roles(4000, {}))
      .speech("b", 5000, 7000, 15);
    const ds = run(mixer(), tr.build(8000));
    expect(firstTo(ds, "b")!.t).toBeGreaterThan(5000);
  });

  it("favor: a favoured talker needs less evidence on a free floor", () => {
    const trace = (favor: boolean): Trace => {
      const tr = ab();
      if (favor) tr.event(roles(0, { b: "favor" }));
      return tr.speech("b", 1000, 3000, 20);
    };
    const plain = firstTo(run(mixer(), trace(false).build(4000)), "b")!;
    const favored = firstTo(run(mixer(), trace(true).build(4000)), "b")!;
    expect(favored.t).toBeLessThan(plain.t);
  });

  it("favor: a favoured holder is not out-talked by a margin that takes over from anyone else", () => {
    const trace = (favor: boolean): Trace => {
      const tr = ab();
      if (favor) tr.event(roles(0, { a: "favor" }));
      // b talks over a, FAVOR_MARGIN_DB louder: a holder's syllable dips let that pass the
      // takeover margin against anyone else, not the margin plus the favour
      return tr.speech("a", 500, 8000, 20, A_STYLE).speech("b", 3000, 8000, 20 - FAVOR_MARGIN_DB, B_STYLE);
    };
    const plain = run(mixer({ crosstalkMs: 0 }), trace(false).build(8000));
    expect(firstTo(plain, "b")).toMatchObject({ reason: "takeover" });
    const favored = run(mixer({ crosstalkMs: 0 }), trace(true).build(8000));
    expect(firstTo(favored, "b")).toBeUndefined();
  });

  it("favor: the loudest policy ranks a favoured reading louder", () => {
    const trace = (favor: boolean): Trace => {
      const tr = ab();
      if (favor) tr.event(roles(0, { b: "favor" }));
      return tr.speech("a", 500, 4000, 20, A_STYLE).speech("b", 500, 4000, 22, A_STYLE);
    };
    const plain = run(mixer({ policy: "loudest" }), trace(false).build(4000));
    const favored = run(mixer({ policy: "loudest" }), trace(true).build(4000));
    expect(programAt(plain, 3000)).toBe("a");
    expect(programAt(favored, 3000)).toBe("b");
  });
});

describe("mixer: take", () => {
  it("cuts at once to the taken participant, then carries on by itself", () => {
    const tr = ab()
      .speech("a", 500, 10000, 20, A_STYLE)
      .event({ type: "take", t: 3000, id: "b" });
    const ds = run(mixer(), tr.build(10000));
    expect(ds.find((d) => d.t >= 3000)).toMatchObject({ t: 3000, program: "b", previous: "a", reason: "take", shot: "speaker" });
    // a kept talking: the director goes back to a once the take's hold is over
    const back = firstTo(ds, "a", 3001)!;
    expect(back.reason).toBe("speech");
    expect(back.t - 3000).toBeGreaterThanOrEqual(Math.max(TAKE_HOLD_MS, C.dwellMs));
    expect(back.t - 3000).toBeLessThan(Math.max(TAKE_HOLD_MS, C.dwellMs) + 500);
  });

  it("a wide take goes wide keeping the program, and the next clear talker comes back", () => {
    const tr = ab()
      .speech("a", 500, 2500, 20, A_STYLE)
      .event({ type: "wide", t: 3000 })
      .speech("b", 5000, 7000, 20, B_STYLE);
    const ds = run(mixer(), tr.build(8000));
    expect(ds.find((d) => d.t >= 3000)).toMatchObject({ t: 3000, program: "a", reason: "take", shot: "wide" });
    expect(firstTo(ds, "b")).toMatchObject({ reason: "speech", shot: "speaker" });
  });

  it("a wide take holds through the rest of the holder's talk, and their next talk comes back", () => {
    // W pressed while a talks on (and as a's sentence ends): the room holds until a talks again.
    const tr = ab()
      .speech("a", 500, 4500, 20, A_STYLE)
      .event({ type: "wide", t: 2500 })
      .speech("a", 6000, 8000, 20, A_STYLE);
    const ds = run(mixer(), tr.build(9000));
    expect(ds.find((d) => d.t >= 2500)).toMatchObject({ t: 2500, program: "a", reason: "take", shot: "wide" });
    const back = ds.find((d) => d.t > 2500 && d.shot === "speaker");
    expect(back).toMatchObject({ program: "a", reason: "speech" });
    expect(back!.t).toBeGreaterThanOrEqual(6000 + CLEAR_TALKER_MS);
  });

  it("after a wide take during one talk, another talker who takes over alone still comes back", () => {
    // W as a ends; b answers at once: the policy cuts to b while a's tail still sounds, so
    // the room stays wide; b talking on alone brings the speaker shot back, on b.
    const tr = ab()
      .speech("a", 500, 3000, 20, A_STYLE)
      .event({ type: "wide", t: 2900 })
      .speech("b", 3000, 7000, 20, B_STYLE);
    const ds = run(mixer(), tr.build(8000));
    const back = ds.find((d) => d.t > 2900 && d.shot === "speaker");
    expect(back).toMatchObject({ program: "b" });
    expect(back!.t).toBeLessThan(5000);
  });

  it("a speaker take of whoever is on program ends a wide shot", () => {
    const tr = ab().speech("a", 500, 2500, 20).event({ type: "wide", t: 3000 }).event({ type: "take", t: 4000, id: "a" });
    const ds = run(mixer(), tr.build(5000));
    expect(ds.find((d) => d.t >= 4000)).toMatchObject({ t: 4000, program: "a", reason: "take", shot: "speaker" });
  });

  it("ignores a take of someone not in the room, and any take while pinned", () => {
    const tr = ab()
      .speech("a", 500, 2500, 20)
      .event({ type: "take", t: 3000, id: "ghost" })
      .pin("a", 3500)
      .event({ type: "take", t: 4000, id: "b" })
      .event({ type: "wide", t: 4500 });
    const ds = run(mixer(), tr.build(5000));
    expect(ds.filter((d) => d.t >= 3000)).toEqual([]);
  });

  it("works over the loudest policy, holding the take against the louder talker", () => {
    const tr = ab()
      .speech("a", 500, 8000, 20)
      .event({ type: "take", t: 3000, id: "b" });
    const ds = run(mixer({ policy: "loudest" }), tr.build(8000));
    expect(programAt(ds, 3000 + TAKE_HOLD_MS - 100)).toBe("b");
    expect(programAt(ds, 3000 + TAKE_HOLD_MS + 100)).toBe("a");
  });
});

describe("mixer: shot length", () => {
  const handover = (shotLength?: number | null, shotLength2?: number | null): Trace => {
    const tr = ab();
    if (shotLength !== undefined) tr.event({ type: "shotLength", t: 0, ms: shotLength });
    if (shotLength2 !== undefined) tr.event({ type: "shotLength", t: 100, ms: shotLength2 });
    // a says a few words; b answers at once
    return tr.speech("a", 1000, 1500, 20, A_STYLE).speech("b", 1600, 6000, 20, B_STYLE);
  };

  it("overrides the dwell while set, and null goes back to it", () => {
    const cutTimes = (tr: Trace): number[] => run(mixer(), tr.build(7000)).map((d) => d.t);
    const plain = cutTimes(handover());
    expect(plain).toHaveLength(2);
    const long = cutTimes(handover(4000));
    expect(long).toHaveLength(2);
    expect(long[1]! - long[0]!).toBeGreaterThanOrEqual(4000);
    expect(long[1]!).toBeGreaterThan(plain[1]!);
    expect(cutTimes(handover(4000, null))).toEqual(plain);
  });

  it("gives the loudest policy a minimum shot length", () => {
    const tr = (ms?: number): Trace => {
      const t = ab();
      if (ms !== undefined) t.event({ type: "shotLength", t: 0, ms });
      return t.speech("a", 500, 1000, 20).speech("b", 1100, 3000, 20);
    };
    const plain = run(new SeedPolicy(C), tr().build(4000));
    const held = run(new SeedPolicy(C), tr(1500).build(4000));
    expect(plain[1]!.t - plain[0]!.t).toBeLessThan(1500);
    expect(held[1]!.t - held[0]!.t).toBeGreaterThanOrEqual(1500);
  });
});

describe("policies: preview", () => {
  it("names the challenger gathering evidence, with progress rising to what a cut needs", () => {
    const p = new OursPolicy(C);
    const obs = ab().speech("a", 500, 2000, 20).speech("b", 3000, 5000, 20, B_STYLE).build(5000);
    const progress: number[] = [];
    let sawNobody = false;
    for (const o of obs) {
      const d = p.observe(o);
      if (o.type !== "levels") continue;
      const pv = p.preview();
      if (o.t > 2600 && o.t < 2900) sawNobody ||= pv === null;
      if (o.t >= 3000 && p.program === "a" && pv) {
        expect(pv.id).toBe("b");
        progress.push(pv.progress);
      }
      if (d?.program === "b") break;
    }
    expect(sawNobody).toBe(true);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((x) => x > 0 && x <= 1)).toBe(true);
    expect(progress[progress.length - 1]).toBeGreaterThan(progress[0]!);
  });

  it("shows nobody while pinned", () => {
    const m = mixer();
    for (const o of ab().pin("a", 100).speech("b", 500, 2000, 20).build(1000)) m.observe(o);
    expect(m.preview()).toBeNull();
  });
});

describe("OursPolicy without a mixer", () => {
  it("a speaker take is applied as a cut with reason take", () => {
    const ds = run(new OursPolicy(C), ab().speech("a", 500, 2000, 20).event({ type: "take", t: 3000, id: "b" }).build(4000));
    expect(ds[ds.length - 1]).toMatchObject({ t: 3000, program: "b", reason: "take" });
  });

  it("ignores the mixer's own observations", () => {
    const m = new Mixer(new OursPolicy(C), C);
    expect(m.name).toBe("evidence");
    expect(new OursPolicy(C).observe({ type: "wide", t: 0 })).toBeNull();
  });
});
