/**
 * The combined rule: levels say who is loudest and which phone is nearest; a cut also needs
 * the voice model's evidence where the model ran; a confirmed voice is believed sooner;
 * a participant the model did not evaluate is judged by levels alone.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SWITCH_CONFIG, OursPolicy, type Decision, type SwitchConfig } from "@/lib/switching";
import type { Observation, ParticipantId } from "@/lib/switching/types";
import { ab, Trace, firstTo, run } from "./trace";

const C = DEFAULT_SWITCH_CONFIG;

function ours(over: Partial<SwitchConfig> = {}): OursPolicy {
  return new OursPolicy({ ...DEFAULT_SWITCH_CONFIG, ...over });
}

type Prob = (id: ParticipantId, t: number, level: number | undefined) => number | undefined;

/** Adds the model's `speech` map to every levels frame, as the director's input stage would. */
function withSpeech(obs: readonly Observation[], prob: Prob): Observation[] {
  return obs.map((o) => {
    if (o.type !== "levels") return o;
    const speech: Record<string, number> = {};
    for (const [id, level] of Object.entries(o.levels)) {
      const p = prob(id, o.t, level);
      if (p !== undefined) speech[id] = p;
    }
    return { ...o, speech };
  });
}

/** Model scores: speech inside [from, to) for `id`, low elsewhere; evaluated only above the floor (the gate). */
function model(spans: Record<ParticipantId, Array<[number, number, number?]>>): Prob {
  return (id, t, level) => {
    if (level === undefined || level > 64) return undefined; // the gate: near the floor, not evaluated
    for (const [a, b, p] of spans[id] ?? []) if (t >= a && t < b) return p ?? 0.98;
    return 0.05;
  };
}

const A = { syllableMs: 180, dipMs: 70 };
const B = { syllableMs: 230, dipMs: 50 };
/**
 * A talker at 5–6 syllables a second: the level swings by its syllable dips within the
 * first 200 ms, as in 95 % of the lab's turns (the model's cuts wait for that swing,
 * SWITCH_MIN_TALK_DEPTH_DB).
 */
const V = { syllableMs: 120, dipMs: 60 };

describe("ours + voice model: noise never cuts", () => {
  it("a long speech-shaped noise in silence cuts on levels alone, but not when the model calls it noise", () => {
    // 1.2 s of syllabic loudness from b (a chair scrape, a rustle) after a's turn.
    const tr = ab().speech("a", 500, 2500, 20, A).speech("b", 4000, 5200, 22, B);
    const levelsOnly = run(ours(), tr.build(7000));
    expect(firstTo(levelsOnly, "b")).toBeDefined();
    const withModel = run(ours(), withSpeech(tr.build(7000), model({ a: [[500, 2500]] })));
    expect(withModel.map((d) => d.program)).toEqual(["a"]);
  });

  it("a noise louder than a talker's onset does not win the free floor from the talker", () => {
    const tr = ab().participant("c").speech("a", 500, 2000, 20, A);
    tr.speech("b", 5000, 7000, 30, B).speech("c", 5000, 5800, 15, A); // c: a loud noise at b's onset
    const ds = run(ours(), withSpeech(tr.build(8000), model({ a: [[500, 2000]], b: [[5000, 7000]] })));
    expect(ds.map((d) => d.program)).toEqual(["a", "b"]);
  });

  it("during speech, a listener's noise never takes over", () => {
    const tr = ab().speech("a", 500, 6000, 30, A).speech("b", 2000, 3500, 10, B);
    const levelsOnly = run(ours(), tr.build(7000));
    expect(firstTo(levelsOnly, "b")).toBeDefined(); // 20 dB louder for 1.5 s: a takeover by level
    const ds = run(ours(), withSpeech(tr.build(7000), model({ a: [[500, 6000]] })));
    expect(ds.map((d) => d.program)).toEqual(["a"]);
  });
});

describe("ours + voice model: a voice is believed sooner", () => {
  it("a free-floor turn is cut to sooner with the model than on levels alone", () => {
    const tr = ab().speech("a", 500, 2000, 20, A).speech("b", 5000, 7000, 22, V);
    const lv = firstTo(run(ours(), tr.build(8000)), "b");
    const md = firstTo(run(ours(), withSpeech(tr.build(8000), model({ a: [[500, 2000]], b: [[5000, 7000]] }))), "b");
    expect(lv && md).toBeTruthy();
    const lvLat = (lv as Decision).t - 5000;
    const mdLat = (md as Decision).t - 5000;
    expect(mdLat).toBeLessThan(lvLat);
    // At the first rise into the second syllable (this trace's syllables are flat, so the
    // first one has no rise of its own; a decay alone does not count, see the laugh tests).
    expect(mdLat).toBeLessThanOrEqual(V.syllableMs + V.dipMs + 20);
    expect((md as Decision).evidence["modelSpeechMs"]).toBeGreaterThanOrEqual(C.modelMinVoiceMs);
  });

  it("a confirmed voice still obeys the handover rule: a spurt shorter than it in the holder's pause does not cut", () => {
    // An "mm" of 180 ms right after the holder stops: enough level and model evidence for a
    // free floor, but a handover needs a talk spurt of modelHandoverMinSpurtMs.
    const short = C.modelHandoverMinSpurtMs - 20;
    expect(short).toBeGreaterThanOrEqual(Math.max(C.modelMinVoiceMs, C.modelMinSpeechMs));
    const mk = (len: number): Decision[] => {
      const tr = ab();
      tr.speech("a", 500, 3000, 20, A).speech("b", 3300, 3300 + len, 22, V).speech("a", 4000, 6000, 20, A);
      return run(ours(), withSpeech(tr.build(7000), model({ a: [[500, 3000], [4000, 6000]], b: [[3300, 3300 + len]] })));
    };
    expect(mk(short).map((d) => d.program)).toEqual(["a"]);
    // The same voice talking on for a real turn does switch, and within the spurt rule's time.
    const turn = firstTo(mk(1500), "b");
    expect(turn).toBeDefined();
    expect((turn as Decision).t - 3300).toBeLessThanOrEqual(C.modelHandoverMinSpurtMs + 60);
  });
});

describe("ours + voice model: quiet voices and missing scores", () => {
  it("a whisper the model scores just above the threshold still gets its turn", () => {
    const tr = new Trace().participant("a").participant("w", 75).speech("a", 500, 2000, 20, A).speech("w", 4000, 6500, 55, B);
    const ds = run(ours(), withSpeech(tr.build(8000), (id, t, level) => {
      if (level === undefined || level > 70) return undefined;
      if (id === "w" && t >= 4000 && t < 6500) return 0.6; // whispers score lower, not low
      if (id === "a" && t >= 500 && t < 2000) return 0.99;
      return 0.05;
    }));
    expect(firstTo(ds, "w")).toBeDefined();
  });

  it("a participant the model never evaluated is judged by levels alone (a missing id is not 'no speech')", () => {
    const tr = ab().speech("a", 500, 2000, 20, A).speech("b", 4000, 6000, 22, B);
    // The model runs for a only; b is absent from every speech map.
    const ds = run(ours(), withSpeech(tr.build(7000), (id, t) => (id === "a" ? (t >= 500 && t < 2000 ? 0.99 : 0.05) : undefined)));
    const lv = run(ours(), tr.build(7000));
    expect(firstTo(ds, "b")?.t).toBe(firstTo(lv, "b")?.t);
  });

  it("an empty speech map (model on, nobody above the gate) changes nothing for speech that never reaches the gate", () => {
    const tr = ab().speech("a", 500, 2000, 20, A);
    const ds = run(ours(), withSpeech(tr.build(4000), () => undefined));
    expect(ds.map((d) => d.program)).toEqual(["a"]);
  });
});

describe("ours + voice model: a persisting interruption takes over without out-shouting the holder", () => {
  // a holds the floor from 500 ms and talks until 6000; b starts talking over a at 3000.
  const overlap = (bLevel: number, bTo: number): Trace =>
    ab().speech("a", 500, 6000, 20, A).speech("b", 3000, bTo, bLevel, B);
  const speechOf = (bTo: number) => model({ a: [[500, 6000]], b: [[3000, bTo]] });

  it("an interrupter at the holder's level who keeps talking is cut to after overlapTakeoverMs, while the holder still talks", () => {
    const ds = run(ours(), withSpeech(overlap(20, 7500).build(8000), speechOf(7500)));
    const cut = firstTo(ds, "b");
    expect(cut).toBeDefined();
    const d = cut as Decision;
    expect(d.reason).toBe("takeover");
    expect(d.evidence["overlap"]).toBe(1);
    expect(d.t - 3000).toBeGreaterThanOrEqual(C.overlapTakeoverMs - 2 * 20); // talk is measured on 20 ms frames
    expect(d.t - 3000).toBeLessThanOrEqual(C.overlapTakeoverMs + 100);
    expect(d.t).toBeLessThan(6000); // a was still talking
    // a, who started first, does not flap back although a keeps talking.
    expect(ds.map((x) => x.program)).toEqual(["a", "b"]);
  });

  it("is off without the model (levels cannot tell a long laugh from an interrupter) and with SWITCH_OVERLAP_TAKEOVER_MS=0", () => {
    const lv = firstTo(run(ours(), overlap(20, 7500).build(8000)), "b");
    expect(lv === undefined || lv.t >= 6000).toBe(true);
    const off = firstTo(run(ours({ overlapTakeoverMs: 0 }), withSpeech(overlap(20, 7500).build(8000), speechOf(7500))), "b");
    expect(off === undefined || off.t >= 6000).toBe(true);
  });

  it("a backchannel shorter than overlapTakeoverMs at the holder's level does not cut", () => {
    const bTo = 3000 + C.overlapTakeoverMs - 150;
    const ds = run(ours(), withSpeech(overlap(20, bTo).build(8000), speechOf(bTo)));
    expect(ds.map((x) => x.program)).toEqual(["a"]);
  });

  it("side talk quieter than the holder by more than overlapMarginDb does not cut, however long", () => {
    // 6 dB quieter (dBov is loudness downwards), for 2.5 s while a talks.
    const ds = run(ours(), withSpeech(overlap(20 + C.overlapMarginDb + 4, 5500).build(8000), speechOf(5500)));
    expect(ds.map((x) => x.program)).toEqual(["a"]);
  });

  it("a long sound the model calls noise does not take over by overlapping", () => {
    const ds = run(ours(), withSpeech(overlap(20, 7500).build(8000), model({ a: [[500, 6000]] })));
    const cut = firstTo(ds, "b");
    expect(cut === undefined || cut.t >= 6000).toBe(true);
  });
});

describe("ours + voice model: music the model takes for a voice does not cut", () => {
  // After a's turn, b's phone plays music: the level stays within a few dB (a chord, a held
  // note), while the model scores its opening as speech (as Silero does for a piano).
  const mk = (b: (tr: Trace) => Trace, over: Partial<SwitchConfig> = {}): Decision[] => {
    const tr = b(ab().speech("a", 500, 3000, 20, A));
    return run(ours(over), withSpeech(tr.build(9000), model({ a: [[500, 3000]], b: [[5000, 7500]] })));
  };
  const MUSIC = { syllableMs: 140, dipMs: 20, dipDb: 4 }; // notes with shallow joins

  it("sustained music in a free floor does not cut, however long the model calls it speech", () => {
    expect(mk((tr) => tr.speech("b", 5000, 7500, 22, MUSIC)).map((d) => d.program)).toEqual(["a"]);
  });

  it("the same music cuts with the depth rule off (SWITCH_MIN_TALK_DEPTH_DB=0)", () => {
    expect(firstTo(mk((tr) => tr.speech("b", 5000, 7500, 22, MUSIC), { minTalkDepthDb: 0 }), "b")).toBeDefined();
  });

  it("a voice at the same level, with syllables, still cuts at once", () => {
    const cut = firstTo(mk((tr) => tr.speech("b", 5000, 7500, 22, V)), "b");
    expect(cut).toBeDefined();
    expect((cut as Decision).t - 5000).toBeLessThanOrEqual(V.syllableMs + V.dipMs + 20);
  });
});

describe("ours + voice model: a laugh the model takes for a voice does not cut", () => {
  // After a's turn, b laughs in the silence: "ha-ha-ha", voiced bursts with silences between
  // them, which the model scores as speech (as Silero does for a laugh).
  const mk = (b: (tr: Trace) => Trace, over: Partial<SwitchConfig> = {}): Decision[] => {
    const tr = b(ab().speech("a", 500, 3000, 20, A));
    return run(ours(over), withSpeech(tr.build(9000), model({ a: [[500, 3000]], b: [[5000, 7000]] })));
  };
  const LAUGH = { syllableMs: 120, dipMs: 90, dipDb: 40 }; // bursts of 120 ms, 90 ms of silence between

  it("a laugh of voiced bursts does not cut, however long", () => {
    expect(mk((tr) => tr.speech("b", 5000, 6600, 22, LAUGH)).map((d) => d.program)).toEqual(["a"]);
  });

  it("the same laugh cuts with the pulse rule off (SWITCH_PULSE_GAP_MS=0)", () => {
    expect(firstTo(mk((tr) => tr.speech("b", 5000, 6600, 22, LAUGH), { pulseGapMs: 0 }), "b")).toBeDefined();
  });

  it("a laugh's single first burst, which only decays after its peak, does not cut", () => {
    expect(mk((tr) => tr.transient("b", 5000, 22, 180)).map((d) => d.program)).toEqual(["a"]);
  });

  it("a voice that falls silent once (a stop consonant) cuts as soon as one run outlasts a laugh's burst", () => {
    // 100 ms, 80 ms of silence, then syllables that glide (dips too short to break the run).
    const cut = firstTo(
      mk((tr) => tr.speech("b", 5000, 5100, 22, { syllableMs: 100, dipMs: 0 }).speech("b", 5180, 7000, 22, { syllableMs: 120, dipMs: 20 })),
      "b",
    );
    expect(cut).toBeDefined();
    const t = (cut as Decision).t - 5180;
    expect(t).toBeGreaterThanOrEqual(C.pulsedRunMs - 20);
    expect(t).toBeLessThanOrEqual(C.pulsedRunMs + 40);
  });
});
