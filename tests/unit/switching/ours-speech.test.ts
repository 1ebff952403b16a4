/**
 * The combined rule: levels say who is loudest and which phone is nearest; a cut also needs
 * the voice model's evidence where the model ran; a confirmed voice is believed sooner;
 * a participant the model did not evaluate is judged by levels alone.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SWITCH_CONFIG, OursPolicy, type Decision, type SwitchConfig } from "@/lib/switching";
import type { Observation, ParticipantId } from "@/lib/switching/types";
import { Trace, firstTo, run } from "./trace";

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

describe("ours + voice model: noise never cuts", () => {
  it("a long speech-shaped noise in silence cuts on levels alone, but not when the model calls it noise", () => {
    // 1.2 s of syllabic loudness from b (a chair scrape, a rustle) after a's turn.
    const tr = new Trace().participant("a").participant("b").speech("a", 500, 2500, 20, A).speech("b", 4000, 5200, 22, B);
    const levelsOnly = run(ours(), tr.build(7000));
    expect(firstTo(levelsOnly, "b")).toBeDefined();
    const withModel = run(ours(), withSpeech(tr.build(7000), model({ a: [[500, 2500]] })));
    expect(withModel.map((d) => d.program)).toEqual(["a"]);
  });

  it("a noise louder than a talker's onset does not win the free floor from the talker", () => {
    const tr = new Trace().participant("a").participant("b").participant("c").speech("a", 500, 2000, 20, A);
    tr.speech("b", 5000, 7000, 30, B).speech("c", 5000, 5800, 15, A); // c: a loud noise at b's onset
    const ds = run(ours(), withSpeech(tr.build(8000), model({ a: [[500, 2000]], b: [[5000, 7000]] })));
    expect(ds.map((d) => d.program)).toEqual(["a", "b"]);
  });

  it("during speech, a listener's noise never takes over", () => {
    const tr = new Trace().participant("a").participant("b").speech("a", 500, 6000, 30, A).speech("b", 2000, 3500, 10, B);
    const levelsOnly = run(ours(), tr.build(7000));
    expect(firstTo(levelsOnly, "b")).toBeDefined(); // 20 dB louder for 1.5 s: a takeover by level
    const ds = run(ours(), withSpeech(tr.build(7000), model({ a: [[500, 6000]] })));
    expect(ds.map((d) => d.program)).toEqual(["a"]);
  });
});

describe("ours + voice model: a voice is believed sooner", () => {
  it("a free-floor turn is cut to sooner with the model than on levels alone", () => {
    const tr = new Trace().participant("a").participant("b").speech("a", 500, 2000, 20, A).speech("b", 5000, 7000, 22, B);
    const lv = firstTo(run(ours(), tr.build(8000)), "b");
    const md = firstTo(run(ours(), withSpeech(tr.build(8000), model({ a: [[500, 2000]], b: [[5000, 7000]] }))), "b");
    expect(lv && md).toBeTruthy();
    const lvLat = (lv as Decision).t - 5000;
    const mdLat = (md as Decision).t - 5000;
    expect(mdLat).toBeLessThan(lvLat);
    expect(mdLat).toBeLessThanOrEqual(Math.max(C.modelMinVoiceMs, C.modelMinSpeechMs) + 40);
    expect((md as Decision).evidence["modelSpeechMs"]).toBeGreaterThanOrEqual(C.modelMinVoiceMs);
  });

  it("a confirmed voice still obeys the handover rule: a spurt shorter than it in the holder's pause does not cut", () => {
    // An "mm" of 180 ms right after the holder stops: enough level and model evidence for a
    // free floor, but a handover needs a talk spurt of modelHandoverMinSpurtMs.
    const short = C.modelHandoverMinSpurtMs - 20;
    expect(short).toBeGreaterThanOrEqual(Math.max(C.modelMinVoiceMs, C.modelMinSpeechMs));
    const mk = (len: number): Decision[] => {
      const tr = new Trace().participant("a").participant("b");
      tr.speech("a", 500, 3000, 20, A).constant("b", 3300, 3300 + len, 22).speech("a", 4000, 6000, 20, A);
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
    const tr = new Trace().participant("a").participant("b").speech("a", 500, 2000, 20, A).speech("b", 4000, 6000, 22, B);
    // The model runs for a only; b is absent from every speech map.
    const ds = run(ours(), withSpeech(tr.build(7000), (id, t) => (id === "a" ? (t >= 500 && t < 2000 ? 0.99 : 0.05) : undefined)));
    const lv = run(ours(), tr.build(7000));
    expect(firstTo(ds, "b")?.t).toBe(firstTo(lv, "b")?.t);
  });

  it("an empty speech map (model on, nobody above the gate) changes nothing for speech that never reaches the gate", () => {
    const tr = new Trace().participant("a").participant("b").speech("a", 500, 2000, 20, A);
    const ds = run(ours(), withSpeech(tr.build(4000), () => undefined));
    expect(ds.map((d) => d.program)).toEqual(["a"]);
  });
});
