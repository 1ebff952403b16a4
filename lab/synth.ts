/**
 * Sample-level synthesis of background noise and sound effects. Written as plain code over
 * a seeded PRNG rather than `sox synth` because sox's noise generators draw from their own
 * RNG, which made the output differ from run to run.
 */
import type { SfxKind } from "./scenario";
import { newSfx } from "./sfx";
import { gaussian, type Rng, uniform } from "./rng";

export const SAMPLE_RATE = 48_000;

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / Math.max(1, x.length));
}

/** Noise whose RMS is exactly `dbfs` (0 dBFS = RMS of a full-scale square wave). */
export function noise(type: "pink" | "white" | "brown" | "none", dbfs: number, n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  if (type === "none") return out;
  if (type === "white") {
    for (let i = 0; i < n; i++) out[i] = gaussian(rng);
  } else if (type === "pink") {
    // Paul Kellet's economy pink filter: -3 dB/octave within ~0.5 dB across the speech band.
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    for (let i = 0; i < n; i++) {
      const w = gaussian(rng);
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    }
  } else {
    // Leaky integrator: -6 dB/octave (a fan's rumble); the leak keeps it from drifting.
    let y = 0;
    for (let i = 0; i < n; i++) {
      y = 0.998 * y + gaussian(rng) * 0.05;
      out[i] = y;
    }
  }
  const g = dbToGain(dbfs) / Math.max(1e-12, rms(out));
  for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) * g;
  return out;
}

function addBurst(out: Float32Array, at: number, amp: number, tauMs: number, lenMs: number, rng: Rng, lowpass = 0): void {
  const tau = (tauMs / 1000) * SAMPLE_RATE;
  const len = Math.round((lenMs / 1000) * SAMPLE_RATE);
  let y = 0;
  for (let i = 0; i < len && at + i < out.length; i++) {
    const w = gaussian(rng);
    // A one-pole lowpass makes coughs and thumps duller than clicks, as they are.
    y = lowpass > 0 ? lowpass * y + (1 - lowpass) * w : w;
    const idx = at + i;
    if (idx >= 0) out[idx] = (out[idx] ?? 0) + amp * Math.exp(-i / tau) * y;
  }
}

/** Returns the effect and its audible length in samples. Levels are comparable to speech. */
export function sfx(kind: SfxKind, rng: Rng): Float32Array {
  const ms = (v: number): number => Math.round((v / 1000) * SAMPLE_RATE);
  switch (kind) {
    case "click": {
      const out = new Float32Array(ms(40));
      addBurst(out, 0, 0.5, 1.5, 15, rng);
      return out;
    }
    case "keyboard": {
      const strokes = 8 + Math.floor(rng() * 8);
      const out = new Float32Array(ms(strokes * 260 + 200));
      let at = 0;
      for (let k = 0; k < strokes; k++) {
        addBurst(out, at, uniform(rng, 0.15, 0.35), 1.2, 12, rng);
        addBurst(out, at + ms(uniform(rng, 30, 70)), uniform(rng, 0.05, 0.12), 1, 8, rng);
        at += ms(uniform(rng, 90, 250));
      }
      return out.subarray(0, Math.min(out.length, at + ms(100)));
    }
    case "cough": {
      const out = new Float32Array(ms(700));
      const first = uniform(rng, 120, 220);
      addBurst(out, 0, 0.35, first / 2.5, first, rng, 0.6);
      if (rng() < 0.7) addBurst(out, ms(first + uniform(rng, 60, 140)), 0.25, 50, 150, rng, 0.6);
      return out;
    }
    case "door": {
      // A door closing a few metres from the phone: a low thump at about speech level that
      // decays with the room (RT60 ~0.5 s, so a ~70 ms time constant), then the latch.
      const out = new Float32Array(ms(600));
      const f = uniform(rng, 50, 90);
      for (let i = 0; i < ms(400); i++) {
        out[i] = (out[i] ?? 0) + 0.2 * Math.exp(-i / ms(70)) * Math.sin((2 * Math.PI * f * i) / SAMPLE_RATE);
      }
      addBurst(out, 0, 0.15, 25, 150, rng, 0.9);
      addBurst(out, ms(uniform(rng, 60, 120)), 0.2, 2, 20, rng);
      return out;
    }
    case "clap": {
      const claps = 1 + Math.floor(rng() * 3);
      const out = new Float32Array(ms(claps * 350 + 100));
      for (let c = 0; c < claps; c++) addBurst(out, ms(c * uniform(rng, 250, 340)), 0.7, 5, 40, rng, 0.2);
      return out;
    }
    default:
      return newSfx(kind, rng);
  }
}
