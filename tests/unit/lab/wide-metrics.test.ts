/** The lab's wide-shot metrics (lab/metrics.ts): share of time wide, crosstalk shown wide. */
import { describe, expect, it } from "vitest";
import { type Cut, aggregate, crosstalkSpans, evaluate, shotsFromDecisions, wideSpans } from "@/lab/metrics";
import type { Truth } from "@/lab/trace";
import type { Decision } from "@/lib/switching/types";

const opts = { scenario: "t", family: "s04", split: "tuning", policy: "p", run: 0 };

/** a talks 1-6 s; b talks over a 4-8 s (2 s of crosstalk); c's backchannel 7-7.5 s is not crosstalk. */
function truth(): Truth {
  return {
    scenario: "t",
    durationMs: 10000,
    participants: ["a", "b", "c"],
    groups: {},
    leakDb: {},
    utterances: [
      { who: "a", role: "turn", text: "", onset: 1000, end: 6000, segments: [[1000, 6000]] },
      { who: "b", role: "turn", text: "", onset: 4000, end: 8000, segments: [[4000, 8000]] },
      { who: "c", role: "backchannel", text: "", onset: 7000, end: 7500, segments: [[7000, 7500]] },
    ],
    sfx: [],
    actions: [],
    speech: { a: [[1000, 6000]], b: [[4000, 8000]], c: [[7000, 7500]] },
    floor: [
      { from: 0, to: 1000, who: null },
      { from: 1000, to: 4000, who: "a" },
      { from: 4000, to: 10000, who: "b" },
    ],
  };
}

const decision = (t: number, program: string, shot: "speaker" | "wide", previous: string | null = program): Decision => ({ t, program, previous, reason: "speech", evidence: {}, shot });

describe("wide metrics", () => {
  it("crosstalk is where two or more turns overlap", () => {
    expect(crosstalkSpans(truth())).toEqual([[4000, 6000]]);
  });

  it("shots and wide spans come from the decisions; a run that ends wide counts to its end", () => {
    const ds = [decision(1200, "a", "speaker", null), decision(5000, "a", "wide"), decision(6500, "b", "speaker", "a"), decision(9000, "b", "wide")];
    const shots = shotsFromDecisions(ds);
    expect(shots).toEqual([
      { t: 5000, shot: "wide" },
      { t: 6500, shot: "speaker" },
      { t: 9000, shot: "wide" },
    ]);
    expect(wideSpans(shots, 10000)).toEqual([
      [5000, 6500],
      [9000, 10000],
    ]);
  });

  it("counts time wide and the crosstalk shown wide, and leaves the speaker metrics alone", () => {
    const cuts: Cut[] = [
      { t: 1200, to: "a", from: null },
      { t: 6500, to: "b", from: "a" },
    ];
    const shots = shotsFromDecisions([decision(5000, "a", "wide"), decision(6500, "b", "speaker", "a")]);
    const withShots = evaluate(truth(), cuts, opts, shots);
    const without = evaluate(truth(), cuts, opts);
    expect(withShots.wideMs).toBe(1500);
    expect(withShots.crosstalkMs).toBe(2000);
    expect(withShots.crosstalkWideMs).toBe(1000);
    const { wideMs: _a, crosstalkWideMs: _b, ...speaker } = withShots;
    const { wideMs: _c, crosstalkWideMs: _d, ...speaker0 } = without;
    expect(speaker).toEqual(speaker0);
    const s = aggregate("p", [withShots]);
    expect(s.wideShare).toBe(0.15);
    expect(s.crosstalkWide).toBe(0.5);
    expect(aggregate("p", [without])).toMatchObject({ wideShare: null, crosstalkWide: null });
  });
});
