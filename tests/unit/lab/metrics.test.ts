import { describe, expect, it } from "vitest";
import {
  type Cut,
  aggregate,
  checkTargets,
  classify,
  evaluate,
  floorChanges,
  gapBefore,
  percentile,
  programAt,
  timeOn,
} from "@/lab/metrics";
import type { Truth } from "@/lab/trace";

/** The cuts of a program that starts empty and cuts to each `[t, to]` in turn, each from the one before. */
function program(...steps: [number, string][]): Cut[] {
  let from: string | null = null;
  return steps.map(([t, to]) => {
    const cut = { t, to, from };
    from = to;
    return cut;
  });
}

const opts = { scenario: "t", family: "s01", split: "tuning", policy: "p", run: 0 };

/** a talks 1.0-4.0 s, b answers 4.2-8.0 s (quick gap 200 ms), a again 9.0-12.0 s (free). */
function truth(extra: Partial<Truth> = {}): Truth {
  return {
    scenario: "t",
    durationMs: 14000,
    participants: ["a", "b", "c"],
    groups: {},
    leakDb: {},
    utterances: [
      { who: "a", role: "turn", text: "", onset: 1000, end: 4000, segments: [[1000, 4000]] },
      { who: "b", role: "turn", text: "", onset: 4200, end: 8000, segments: [[4200, 8000]] },
      { who: "c", role: "backchannel", text: "", onset: 5000, end: 5400, segments: [[5000, 5400]] },
      { who: "a", role: "turn", text: "", onset: 9000, end: 12000, segments: [[9000, 12000]] },
    ],
    sfx: [
      { who: "c", kind: "click", start: 8300, end: 8320 },
      { who: "c", kind: "cough", start: 6000, end: 6300 },
    ],
    actions: [],
    speech: { a: [[1000, 4000], [9000, 12000]], b: [[4200, 8000]], c: [[5000, 5400]] },
    floor: [
      { from: 0, to: 1000, who: null },
      { from: 1000, to: 4200, who: "a" },
      { from: 4200, to: 9000, who: "b" },
      { from: 9000, to: 14000, who: "a" },
    ],
    ...extra,
  };
}

describe("timeline helpers", () => {
  const cuts = program([1000, "a"], [3000, "b"]);
  it("programAt is the last cut at or before t", () => {
    expect(programAt(cuts, 999)).toBeNull();
    expect(programAt(cuts, 1000)).toBe("a");
    expect(programAt(cuts, 5000)).toBe("b");
  });
  it("timeOn measures time on a participant within a window", () => {
    expect(timeOn(cuts, "a", 0, 5000)).toBe(2000);
    expect(timeOn(cuts, "b", 2500, 4000)).toBe(1000);
    expect(timeOn(cuts, "a", 1500, 2500)).toBe(1000);
  });
  it("percentile is nearest-rank", () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([], 50)).toBeNull();
  });
  it("classifies gaps", () => {
    expect(classify(-1)).toBe("overlap");
    expect(classify(0)).toBe("quick");
    expect(classify(300)).toBe("quick");
    expect(classify(301)).toBe("free");
  });
});

describe("evaluate", () => {
  it("floor changes and gaps come from the ground truth", () => {
    const t = truth();
    expect(floorChanges(t.floor).map((c) => [c.who, c.onset, c.end])).toEqual([
      ["a", 1000, 4200],
      ["b", 4200, 9000],
      ["a", 9000, 14000],
    ]);
    expect(gapBefore(t, "b", 4200)).toBe(200);
    expect(gapBefore(t, "a", 9000)).toBe(1000);
  });

  it("a perfect program scores perfectly", () => {
    const cuts = program([1000, "a"], [4200, "b"], [9000, "a"]);
    const r = evaluate(truth(), cuts, opts);
    expect(r.turns.map((x) => x.latencyMs)).toEqual([0, 0, 0]);
    expect(r.turns.map((x) => x.cls)).toEqual(["free", "quick", "free"]);
    expect(r.missed).toBe(0);
    expect(r.flaps).toBe(0);
    expect(r.switches).toBe(3);
    expect(r.floorChanges).toBe(3);
    expect(r.onHolderMs / r.floorMs).toBe(1);
  });

  it("measures latency, misses, transient and backchannel switches, flaps and accuracy", () => {
    const cuts = program(
      [1300, "a"], // 300 ms late
      [5100, "c"], // on the backchannel (b's turn is never shown)
      [6000, "a"], // back to a within 3 s: a flap (c never held the floor)
      [8500, "c"], // 200 ms after the click
      [9600, "a"], // 600 ms late
    );
    const r = evaluate(truth(), cuts, opts);
    expect(r.turns.map((x) => x.latencyMs)).toEqual([300, null, 600]);
    expect(r.missed).toBe(1); // b spoke 3.8 s and was never shown
    expect(r.backchannels).toEqual([{ switched: true }]);
    expect(r.sfx.find((s) => s.kind === "click")).toMatchObject({ switched: true, inSpeech: false });
    expect(r.sfx.find((s) => s.kind === "cough")).toMatchObject({ switched: false, inSpeech: true });
    expect(r.flaps).toBe(2); // a→c→a twice
    expect(r.switches).toBe(5);
    // Floor time after the 0.5 s collars: a 1500-4200 (2700), b 4700-9000 (4300), a 9500-14000 (4500).
    expect(r.floorMs).toBe(11500);
    // On holder: a 1500-4200 = 2700 (c only from 5100); b never; a 9600-14000 = 4400.
    expect(r.onHolderMs).toBe(7100);
  });

  it("co-located: time on the talker's own phone, by the leak gap of its room", () => {
    const t = truth({ groups: { a: "room", b: "room" }, leakDb: { a: { b: -6 }, b: { a: -3 } } });
    const cuts = program([1000, "a"], [6000, "b"], [9000, "a"]);
    const r = evaluate(t, cuts, opts);
    expect(r.coloc).toEqual([
      { gapDb: 6, floorMs: 2700, onMs: 2700 },
      { gapDb: 3, floorMs: 4300, onMs: 3000 },
      { gapDb: 6, floorMs: 4500, onMs: 4500 },
    ]);
    const s = aggregate("p", [r]);
    expect(s.coloc6).toBe(1);
    expect(s.coloc3).toBeCloseTo(3000 / 4300, 9);
  });
});

describe("aggregate and targets", () => {
  it("pools turns across records and flags the targets missed", () => {
    const cuts = program([1400, "a"], [4900, "b"], [9700, "a"]);
    const r = evaluate(truth(), cuts, opts);
    const s = aggregate("p", [r, { ...r, scenario: "t2" }]);
    expect(s.latFreeP50).toBe(400);
    expect(s.latFreeP90).toBe(700);
    expect(s.latQuickP50).toBe(700);
    expect(s.efficiency).toBe(1);
    const failed = checkTargets(s).filter((c) => !c.ok).map((c) => c.metric);
    // 400/700 ms free, 700 ms quick: only the latency targets fail, issue 4's and issue 12's
    // tighter ones (the cough was in speech and did not switch, so nothing else is off).
    expect(failed).toEqual([
      "lat free p50 ms",
      "lat free p90 ms",
      "lat quick p50 ms",
      "lat free p50 ms (issue 12)",
      "lat free p90 ms (issue 12)",
      "lat quick p50 ms (issue 12)",
    ]);
  });
});
