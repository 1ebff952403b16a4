/**
 * The real Silero model (no mock) through lib/speech: it loads from the installed plugin
 * package, hears speech in a spoken fixture and none in noise, and the gate and the
 * resampler behave as the director and the lab rely on.
 */
import { describe, expect, it } from "vitest";
import { Decimate3, PREROLL_WINDOWS, SileroVad, SpeechGate, SpeechStage, VoiceDetector } from "@/lib/speech";
import { dbovFromInt16 } from "@/lib/switching/level";
import { sileroForSuite } from "../../helpers/silero";
import { readWav } from "../../helpers/wav";

const FRAME = 320; // 20 ms at 16 kHz, what the director feeds

async function probabilities(vad: SileroVad, pcm16k: Float32Array | Int16Array): Promise<number[]> {
  const det = new VoiceDetector(vad);
  const out: number[] = [];
  let last = -1;
  for (let i = 0; i + FRAME <= pcm16k.length; i += FRAME) {
    const p = await det.push(pcm16k.subarray(i, i + FRAME), true);
    if (p !== null && det.windows !== last) {
      out.push(p);
      last = det.windows;
    }
  }
  return out;
}

function fixture16k(name: string): Float32Array {
  const w = readWav(`tests/fixtures/audio/${name}.wav`);
  expect(w.sampleRate).toBe(48000);
  return new Decimate3().process(w.samples);
}

/** Seeded pink-ish noise at about speech level: what a fan or a rustle looks like to a level meter. */
function noise16k(seconds: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(seconds * 16000);
  let b = 0;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const w = s / 2 ** 32 - 0.5;
    b = 0.97 * b + w;
    out[i] = 0.05 * b;
  }
  return out;
}

describe("the Silero voice model", () => {
  const model = sileroForSuite();

  it("scores a spoken sentence as speech", async () => {
    const ps = await probabilities(model.vad, fixture16k("speech-alice"));
    expect(ps.length).toBeGreaterThan(50);
    const sorted = [...ps].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(0.9);
  });

  it("scores a one-word backchannel as speech within its first 100 ms of windows", async () => {
    const ps = await probabilities(model.vad, fixture16k("yes"));
    expect(Math.max(...ps)).toBeGreaterThan(0.9);
  });

  it("scores a click and steady noise as not speech", async () => {
    const click = await probabilities(model.vad, fixture16k("click"));
    expect(Math.max(...click)).toBeLessThan(0.3);
    const fan = await probabilities(model.vad, noise16k(2, 7));
    expect(Math.max(...fan)).toBeLessThan(0.3);
  });

  it("keeps state per participant: interleaving two streams gives each its own result", async () => {
    const a = fixture16k("speech-bob");
    const n = noise16k(2, 3);
    const alone = await probabilities(model.vad, a.subarray(0, 16000));
    const da = new VoiceDetector(model.vad);
    const dn = new VoiceDetector(model.vad);
    const mixed: number[] = [];
    for (let i = 0; i + FRAME <= 16000; i += FRAME) {
      const before = da.windows;
      const [pa] = await Promise.all([da.push(a.subarray(i, i + FRAME), true), dn.push(n.subarray(i, i + FRAME), true)]);
      if (pa !== null && da.windows !== before) mixed.push(pa);
    }
    expect(mixed).toHaveLength(alone.length);
    mixed.forEach((p, i) => expect(p).toBeCloseTo(alone[i] ?? -1, 5));
  });

  it("gated: runs nothing while closed, and the pre-roll makes a late-opened onset score high at once", async () => {
    const det = new VoiceDetector(model.vad);
    const x = fixture16k("speech-carol");
    const before = model.vad.windows;
    for (let i = 0; i < 10 * FRAME; i += FRAME) expect(await det.push(x.subarray(i, i + FRAME), false)).toBeNull();
    expect(model.vad.windows).toBe(before);
    // Open mid-sentence: the pre-roll windows run first.
    const p = await det.push(x.subarray(10 * FRAME, 11 * FRAME), true);
    expect(det.windows).toBe(PREROLL_WINDOWS);
    expect(p).toBeGreaterThan(0.5);
  });

  it("in a batch, scores each participant's windows as it scores them one at a time", async () => {
    const names = ["speech-alice", "speech-bob", "speech-carol", "yes"];
    const clips = names.map((n) => fixture16k(n).subarray(0, 48 * FRAME));
    const alone = await Promise.all(clips.map(async (c) => probabilities(model.vad, c)));
    // The director's way: every participant's frames queued, one flush per 20 ms tick.
    const batched = await SileroVad.load();
    try {
      batched.autoFlush = false;
      const dets = clips.map(() => new VoiceDetector(batched));
      const seen: number[][] = clips.map(() => []);
      const counts = clips.map(() => 0);
      for (let i = 0; i + FRAME <= 48 * FRAME; i += FRAME) {
        dets.forEach((d, k) => d.feed((clips[k] as Float32Array).subarray(i, i + FRAME), true));
        expect(batched.windows).toBe(counts.reduce((a, b) => a + b, 0)); // nothing runs before the flush
        await batched.flush();
        dets.forEach((d, k) => {
          if (d.windows !== counts[k]) (seen[k] as number[]).push(d.probability as number);
          counts[k] = d.windows;
        });
      }
      expect(batched.pending).toBe(0);
      expect(batched.windows / batched.runs).toBeGreaterThan(3); // four participants per run
      for (let k = 0; k < clips.length; k++) {
        const a = alone[k] as number[];
        const b = seen[k] as number[];
        expect(b.length).toBe(a.length);
        for (let w = 0; w < a.length; w++) expect(Math.abs((b[w] as number) - (a[w] as number))).toBeLessThan(1e-4);
      }
    } finally {
      await batched.release();
    }
  });

  it("runs a reopened participant's pre-roll in order within one flush, and drops windows of a closed gate", async () => {
    const vad = await SileroVad.load();
    try {
      vad.autoFlush = false;
      const x = fixture16k("speech-carol");
      const det = new VoiceDetector(vad);
      for (let i = 0; i < 10 * FRAME; i += FRAME) det.feed(x.subarray(i, i + FRAME), false);
      det.feed(x.subarray(10 * FRAME, 11 * FRAME), true); // opens: 3 pre-roll windows queued
      expect(vad.pending).toBe(PREROLL_WINDOWS);
      // A bounded flush (the director's, per tick) leaves the rest for the next one.
      await vad.flush(1);
      expect([vad.runs, vad.pending]).toEqual([1, PREROLL_WINDOWS - 1]);
      await vad.flush();
      expect(vad.runs).toBe(PREROLL_WINDOWS); // one window per state per run: in order
      expect(det.windows).toBe(PREROLL_WINDOWS);
      expect(det.probability).toBeGreaterThan(0.5);
      // Windows queued, then the gate closes before the flush: their results are dropped.
      det.feed(x.subarray(11 * FRAME, 14 * FRAME), true);
      expect(vad.pending).toBeGreaterThan(0);
      det.feed(x.subarray(14 * FRAME, 15 * FRAME), false);
      await vad.flush();
      expect(det.probability).toBeNull();
      expect(det.windows).toBe(PREROLL_WINDOWS);
    } finally {
      await vad.release();
    }
  });
});

describe("SpeechGate", () => {
  it("opens above the floor, holds through dips for its hang time, and ignores the floor itself", () => {
    const g = new SpeechGate({ aboveFloorDb: 6, hangMs: 300 });
    let t = 0;
    const step = (dbov: number | null): boolean => g.update((t += 20), dbov);
    for (let i = 0; i < 50; i++) expect(step(60)).toBe(false); // the room at -60 dBov
    expect(step(50)).toBe(true); // 10 dB above
    for (let i = 0; i < 15; i++) expect(step(60)).toBe(true); // 300 ms hang
    expect(step(60)).toBe(false);
    expect(step(null)).toBe(false);
    expect(g.update((t += 20), null, true)).toBe(true); // a challenger is always evaluated
  });

  it("a fan raises the floor only slowly, so speech above it still opens the gate", () => {
    const g = new SpeechGate();
    let t = 0;
    for (let i = 0; i < 50; i++) g.update((t += 20), 70);
    expect(g.update((t += 20), 40)).toBe(true);
  });
});

describe("Decimate3", () => {
  it("is deterministic and streaming: one call or many give the same output", () => {
    const x = fixture16k("yes");
    const w = readWav("tests/fixtures/audio/yes.wav").samples;
    const d = new Decimate3();
    const parts: number[] = [];
    for (let i = 0; i < w.length; i += 481) parts.push(...d.process(w.subarray(i, i + 481)));
    expect(parts.length).toBe(x.length);
    for (let i = 0; i < x.length; i += 97) expect(parts[i]).toBeCloseTo(x[i] ?? NaN, 6);
  });

  it("passes speech-band tones and removes what would alias", () => {
    const tone = (f: number): number => {
      const n = 48000;
      const s = new Float32Array(n);
      for (let i = 0; i < n; i++) s[i] = Math.sin((2 * Math.PI * f * i) / 48000) * 0.5;
      const y = new Decimate3().process(s).subarray(100);
      return Math.sqrt(y.reduce((a, v) => a + v * v, 0) / y.length) / (0.5 / Math.SQRT2);
    };
    expect(tone(1000)).toBeGreaterThan(0.95);
    expect(tone(12000)).toBeLessThan(0.05);
  });
});

describe("SpeechStage (what the director calls)", () => {
  it("evaluates only participants above their floor and reports them in speech()", async () => {
    const stage = await SpeechStage.create();
    const talk = readWav("tests/fixtures/audio/speech-bob.wav").samples;
    const dTalk = new Decimate3();
    const quiet = new Int16Array(960);
    for (let i = 0; i < quiet.length; i++) quiet[i] = ((i * 7919) % 13) - 6; // a quiet room, -70 dBov
    const dQuiet = new Decimate3();
    let t = 0;
    const seen: Array<Record<string, number>> = [];
    // 0.5 s of room tone for both, then bob talks while alice stays quiet.
    for (let f = 0; f < 100; f++) {
      t += 20;
      const b48 = f < 25 ? quiet : talk.subarray((f - 25) * 960, (f - 24) * 960);
      await stage.frame("bob", t, dbovFromInt16(b48), dTalk.process(b48));
      await stage.frame("alice", t, dbovFromInt16(quiet), dQuiet.process(quiet));
      seen.push(stage.speech());
    }
    expect(seen.slice(0, 20).every((s) => Object.keys(s).length === 0)).toBe(true);
    expect(seen.slice(40).every((s) => !("alice" in s))).toBe(true);
    const bob = seen.slice(40).map((s) => s["bob"]).filter((p): p is number => p !== undefined);
    expect(bob.length).toBeGreaterThan(40);
    expect(bob.filter((p) => p > 0.5).length).toBeGreaterThan(bob.length * 0.5); // the sentence has pauses
    const st = stage.stats();
    expect(st.participants).toBe(2);
    expect(st.windows).toBeGreaterThan(40); // 1.5 s of talk = 47 windows; alice none
    stage.remove("bob");
    expect(stage.speech()).toEqual({});
    await stage.model.release();
  });
});
