/**
 * The newer sound families (issue 12), synthesised sample by sample from the seeded PRNG.
 * Each family has several generators and every generator draws its own durations, pitches,
 * resonances and levels, so no policy can learn one waveform. They are built from the
 * physics of the sound rather than recorded: impacts ring at a few decaying modes,
 * friction is stick-slip pulses through resonances, voiced non-speech (laughter, a
 * sneeze's "choo") is a glottal pulse train through vowel formants, breath and paper are
 * shaped noise. Levels are comparable to speech at the phone (-22 dBFS active speech).
 */
import { gaussian, pick, type Rng, uniform } from "./rng";

const SR = 48_000;
const ms = (v: number): number => Math.round((v / 1000) * SR);

/** Two-pole resonator (bandpass) state, processed in place. */
function resonate(x: Float32Array, f: number, q: number, from = 0, to = x.length): Float32Array {
  const w = (2 * Math.PI * f) / SR;
  const r = Math.exp(-w / (2 * q));
  const a1 = 2 * r * Math.cos(w);
  const a2 = -r * r;
  const g = 1 - r;
  const y = new Float32Array(x.length);
  let y1 = 0;
  let y2 = 0;
  for (let i = from; i < to; i++) {
    const v = g * (x[i] ?? 0) + a1 * y1 + a2 * y2;
    y[i] = v;
    y2 = y1;
    y1 = v;
  }
  return y;
}

function onePole(x: Float32Array, a: number, highpass = false): Float32Array {
  const y = new Float32Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s = a * s + (1 - a) * (x[i] ?? 0);
    y[i] = highpass ? (x[i] ?? 0) - s : s;
  }
  return y;
}

function mixInto(out: Float32Array, x: Float32Array, at: number, gain: number): void {
  for (let i = 0; i < x.length; i++) {
    const k = at + i;
    if (k >= 0 && k < out.length) out[k] = (out[k] ?? 0) + gain * (x[i] ?? 0);
  }
}

/** Scales to a peak-follower RMS of `dbfs` over its loudest 50 ms. */
function normalise(x: Float32Array, dbfs: number): Float32Array {
  const w = ms(50);
  let best = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += (x[i] ?? 0) ** 2;
    if (i >= w) s -= (x[i - w] ?? 0) ** 2;
    if (i >= w - 1) best = Math.max(best, s / w);
  }
  if (x.length < w) best = s / Math.max(1, x.length);
  const g = 10 ** (dbfs / 20) / Math.sqrt(Math.max(1e-20, best));
  for (let i = 0; i < x.length; i++) x[i] = Math.max(-0.99, Math.min(0.99, (x[i] ?? 0) * g));
  return x;
}

function white(n: number, rng: Rng): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = gaussian(rng);
  return x;
}

function envelope<T extends Float32Array>(x: T, f: (i: number, n: number) => number): T {
  for (let i = 0; i < x.length; i++) x[i] = (x[i] ?? 0) * f(i, x.length);
  return x;
}

/** A glottal pulse train (Rosenberg-ish) with jitter, f0 gliding from f0a to f0b. */
function glottal(n: number, f0a: number, f0b: number, rng: Rng): Float32Array {
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f0 = (f0a + ((f0b - f0a) * i) / n) * (1 + 0.01 * gaussian(rng));
    phase += f0 / SR;
    if (phase >= 1) phase -= 1;
    x[i] = phase < 0.4 ? Math.sin((Math.PI * phase) / 0.4) ** 2 : 0;
  }
  return onePole(x, 0.95, true);
}

/** A vowel: source through F1..F3 resonances. */
function vowel(src: Float32Array, formants: readonly number[], rng: Rng): Float32Array {
  const out = new Float32Array(src.length);
  formants.forEach((f, k) => {
    const y = resonate(src, f * uniform(rng, 0.92, 1.08), 8 + k * 2);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (y[i] ?? 0) / (k + 1);
  });
  return out;
}

/** Decaying modes of a struck object. */
function modes(n: number, freqs: readonly number[], tausMs: readonly number[], rng: Rng): Float32Array {
  const x = new Float32Array(n);
  freqs.forEach((f, k) => {
    const tau = ms(tausMs[k] ?? 50);
    const ph = rng() * 2 * Math.PI;
    const a = uniform(rng, 0.5, 1);
    // a·e^(-i/tau)·sin(w·i + ph) by its two-term recurrence: no sin/exp per sample.
    const w = (2 * Math.PI * f) / SR;
    const r = Math.exp(-1 / tau);
    const c1 = 2 * r * Math.cos(w);
    const c2 = -r * r;
    let s2 = a * Math.sin(ph);
    let s1 = a * r * Math.sin(w + ph);
    if (n > 0) x[0] = (x[0] ?? 0) + s2;
    if (n > 1) x[1] = (x[1] ?? 0) + s1;
    for (let i = 2; i < n; i++) {
      const v = c1 * s1 + c2 * s2;
      x[i] = (x[i] ?? 0) + v;
      s2 = s1;
      s1 = v;
    }
  });
  return x;
}

type Gen = (rng: Rng) => Float32Array;

const SNEEZE: Gen[] = [
  // "ah-... CHOO": breathy inhale rising, then a voiced-noisy explosion.
  (rng) => {
    const inhale = ms(uniform(rng, 250, 500));
    const burst = ms(uniform(rng, 180, 320));
    const out = new Float32Array(inhale + burst + ms(150));
    const br = envelope(resonate(white(inhale, rng), uniform(rng, 900, 1600), 2), (i, n) => 0.3 * (i / n) ** 2);
    mixInto(out, br, 0, 1);
    const noise = envelope(onePole(white(burst, rng), 0.3), (i) => Math.exp(-i / ms(90)) * Math.min(1, i / ms(5)));
    const voiced = envelope(vowel(glottal(burst, uniform(rng, 220, 380), uniform(rng, 150, 250), rng), [600, 1700, 2600], rng), (i) => Math.exp(-i / ms(70)));
    mixInto(out, noise, inhale + ms(uniform(rng, 20, 80)), 1);
    mixInto(out, voiced, inhale + ms(uniform(rng, 20, 80)), 3 * uniform(rng, 0.3, 1));
    return normalise(out, uniform(rng, -18, -8));
  },
  // A stifled sneeze: a short nasal "tch" through closed lips, twice.
  (rng) => {
    const out = new Float32Array(ms(900));
    let at = ms(uniform(rng, 100, 250));
    for (let k = 0; k < 1 + Math.floor(rng() * 2); k++) {
      const b = envelope(resonate(white(ms(200), rng), uniform(rng, 2500, 4500), 1.5), (i) => Math.exp(-i / ms(40)));
      mixInto(out, b, at, 1);
      at += ms(uniform(rng, 250, 400));
    }
    return normalise(out, uniform(rng, -22, -12));
  },
  // A double sneeze with a voiced "haa" before each.
  (rng) => {
    const out = new Float32Array(ms(1400));
    let at = 0;
    for (let k = 0; k < 2; k++) {
      const haLen = ms(uniform(rng, 150, 300));
      const ha = envelope(vowel(glottal(haLen, uniform(rng, 180, 260), uniform(rng, 200, 300), rng), [750, 1200, 2500], rng), (i, n) => (i / n) * 0.4);
      mixInto(out, ha, at, 1);
      at += haLen;
      const ch = envelope(onePole(white(ms(250), rng), 0.5), (i) => Math.exp(-i / ms(60)));
      mixInto(out, ch, at, 2);
      at += ms(uniform(rng, 300, 450));
    }
    return normalise(out, uniform(rng, -16, -8));
  },
];

const CHAIR: Gen[] = [
  // Stick-slip scrape: pulses at 30-90 Hz with jitter through floor/leg resonances.
  (rng) => {
    const n = ms(uniform(rng, 350, 1200));
    const src = new Float32Array(n);
    let next = 0;
    const rate = uniform(rng, 30, 90);
    for (let i = 0; i < n; i++) {
      if (i >= next) {
        src[i] = uniform(rng, 0.5, 1) * (rng() < 0.5 ? -1 : 1);
        next = i + Math.max(1, Math.round((SR / rate) * uniform(rng, 0.6, 1.4)));
      }
    }
    let out = new Float32Array(n);
    for (const f of [uniform(rng, 250, 500), uniform(rng, 700, 1400), uniform(rng, 1800, 3000)]) {
      const y = resonate(src, f, uniform(rng, 5, 15));
      for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) + (y[i] ?? 0);
    }
    out = envelope(out, (i, len) => Math.sin((Math.PI * i) / len) ** 0.5);
    return normalise(out, uniform(rng, -20, -10));
  },
  // A squeak: a tonal glide with harmonics, wobbling.
  (rng) => {
    const n = ms(uniform(rng, 250, 700));
    const fa = uniform(rng, 500, 1200);
    const fb = fa * uniform(rng, 0.7, 1.5);
    const out = new Float32Array(n);
    let ph = 0;
    for (let i = 0; i < n; i++) {
      const f = fa + ((fb - fa) * i) / n + 30 * Math.sin((2 * Math.PI * 7 * i) / SR);
      ph += (2 * Math.PI * f) / SR;
      out[i] = (Math.sin(ph) + 0.5 * Math.sin(2 * ph) + 0.3 * Math.sin(3 * ph)) * Math.sin((Math.PI * i) / n);
    }
    return normalise(out, uniform(rng, -24, -12));
  },
  // Castors rolling: low rumble with ticks.
  (rng) => {
    const n = ms(uniform(rng, 500, 1500));
    const out = envelope(resonate(white(n, rng), uniform(rng, 120, 250), 3), (i, len) => Math.sin((Math.PI * i) / len));
    for (let k = 0; k < 6 + rng() * 10; k++) {
      mixInto(out, envelope(white(ms(6), rng), (i) => Math.exp(-i / ms(1))), Math.floor(rng() * n), 0.3);
    }
    return normalise(out, uniform(rng, -22, -12));
  },
];

const RUSTLE: Gen[] = [
  // Crumpling: dense random crackles, highpassed.
  (rng) => {
    const n = ms(uniform(rng, 400, 1500));
    const out = new Float32Array(n);
    const rate = uniform(rng, 40, 150);
    for (let i = 0; i < n; i += Math.max(1, Math.round((SR / rate) * uniform(rng, 0.2, 1.8)))) {
      mixInto(out, envelope(white(ms(uniform(rng, 3, 15)), rng), (k) => Math.exp(-k / ms(2))), i, uniform(rng, 0.2, 1));
    }
    return normalise(onePole(out, 0.9, true), uniform(rng, -24, -12));
  },
  // A page turn: a swoosh of band noise with a slow envelope, then a flap.
  (rng) => {
    const n = ms(uniform(rng, 300, 700));
    const sw = envelope(resonate(white(n, rng), uniform(rng, 2000, 5000), 0.8), (i, len) => Math.sin((Math.PI * i) / len) ** 2);
    const out = new Float32Array(n + ms(120));
    mixInto(out, sw, 0, 1);
    mixInto(out, envelope(onePole(white(ms(60), rng), 0.6), (i) => Math.exp(-i / ms(12))), n - ms(40), 2);
    return normalise(out, uniform(rng, -26, -14));
  },
  // Shuffling a stack: several short swooshes.
  (rng) => {
    const out = new Float32Array(ms(1600));
    let at = 0;
    for (let k = 0; k < 3 + Math.floor(rng() * 4); k++) {
      const len = ms(uniform(rng, 80, 200));
      mixInto(out, envelope(resonate(white(len, rng), uniform(rng, 1500, 4000), 1), (i, l) => Math.sin((Math.PI * i) / l)), at, 1);
      at += len + ms(uniform(rng, 20, 120));
    }
    return normalise(out.subarray(0, at + ms(50)).slice(), uniform(rng, -24, -12));
  },
];

const DROP: Gen[] = [
  // A pen: bright modes, bounces.
  (rng) => {
    const out = new Float32Array(ms(900));
    let at = 0;
    let gap = uniform(rng, 120, 220);
    let amp = 1;
    const fs = [uniform(rng, 1800, 3000), uniform(rng, 4000, 6000), uniform(rng, 7000, 9000)];
    for (let k = 0; k < 3 + Math.floor(rng() * 3) && at < ms(800); k++) {
      mixInto(out, modes(ms(120), fs, [40, 25, 15], rng), at, amp);
      at += ms(gap);
      gap *= 0.65;
      amp *= 0.6;
    }
    return normalise(out, uniform(rng, -18, -8));
  },
  // A book or a phone on the table: a dull thud with a wooden ring.
  (rng) => {
    const n = ms(uniform(rng, 300, 500));
    const out = modes(n, [uniform(rng, 80, 160), uniform(rng, 250, 450), uniform(rng, 600, 1000)], [80, 50, 30], rng);
    mixInto(out, envelope(onePole(white(ms(30), rng), 0.7), (i) => Math.exp(-i / ms(6))), 0, 2);
    return normalise(out, uniform(rng, -16, -6));
  },
  // Keys: many inharmonic high modes, jingling for a while.
  (rng) => {
    const out = new Float32Array(ms(800));
    for (let k = 0; k < 8 + Math.floor(rng() * 8); k++) {
      const f = Array.from({ length: 3 }, () => uniform(rng, 2500, 9000));
      mixInto(out, modes(ms(200), f, [60, 40, 30], rng), ms(uniform(rng, 0, 450)), uniform(rng, 0.3, 1));
    }
    return normalise(out, uniform(rng, -20, -10));
  },
];

const BEEP: Gen[] = [
  // Two-tone ding.
  (rng) => {
    const f1 = uniform(rng, 600, 1400);
    const f2 = f1 * pick(rng, [1.25, 1.5, 0.75]);
    const len = ms(uniform(rng, 150, 300));
    const out = new Float32Array(2 * len + ms(200));
    [f1, f2].forEach((f, k) => mixInto(out, modes(len + ms(200), [f, 2 * f], [120, 60], rng), k * len, 1));
    return normalise(out, uniform(rng, -22, -10));
  },
  // Triple beep of square-ish tones.
  (rng) => {
    const f = uniform(rng, 1500, 3200);
    const len = ms(uniform(rng, 60, 140));
    const gap = ms(uniform(rng, 50, 120));
    const out = new Float32Array(3 * (len + gap));
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < len; i++) out[k * (len + gap) + i] = Math.sign(Math.sin((2 * Math.PI * f * i) / SR)) * 0.3 + 0.2 * Math.sin((6 * Math.PI * f * i) / SR);
    }
    return normalise(onePole(out, 0.3), uniform(rng, -24, -12));
  },
  // A marimba-like three-note chime.
  (rng) => {
    const base = uniform(rng, 400, 900);
    const notes = [1, pick(rng, [1.26, 1.33]), pick(rng, [1.5, 1.68, 2])];
    const step = ms(uniform(rng, 110, 200));
    const out = new Float32Array(3 * step + ms(400));
    notes.forEach((r, k) => mixInto(out, modes(ms(400), [base * r, base * r * 4], [150, 30], rng), k * step, 1));
    return normalise(out, uniform(rng, -22, -12));
  },
];

const LAUGHTER: Gen[] = [
  // "ha-ha-ha": voiced /a/ pulses at ~5 Hz with breath between, f0 high and falling.
  (rng) => {
    const pulses = 4 + Math.floor(rng() * 5);
    const period = ms(uniform(rng, 160, 240));
    const out = new Float32Array(pulses * period + ms(200));
    let f0 = uniform(rng, 220, 380);
    for (let k = 0; k < pulses; k++) {
      const len = Math.round(period * uniform(rng, 0.45, 0.65));
      const v = envelope(vowel(glottal(len, f0, f0 * 0.9, rng), [850, 1250, 2600], rng), (i, n) => Math.sin((Math.PI * i) / n));
      const h = envelope(resonate(white(len, rng), 1500, 1), (i, n) => Math.sin((Math.PI * i) / n) * 0.4);
      mixInto(out, v, k * period, 1 - (0.5 * k) / pulses);
      mixInto(out, h, k * period - ms(30), 1);
      f0 *= uniform(rng, 0.92, 0.99);
    }
    return normalise(out, uniform(rng, -20, -12));
  },
  // A breathy giggle: unvoiced "h" bursts, quick.
  (rng) => {
    const pulses = 5 + Math.floor(rng() * 6);
    const period = ms(uniform(rng, 110, 170));
    const out = new Float32Array(pulses * period + ms(100));
    for (let k = 0; k < pulses; k++) {
      const len = Math.round(period * 0.6);
      mixInto(out, envelope(resonate(white(len, rng), uniform(rng, 1000, 2000), 1.5), (i, n) => Math.sin((Math.PI * i) / n)), k * period, 1);
    }
    return normalise(out, uniform(rng, -26, -16));
  },
  // A chuckle: low voiced "hm-hm-hm" through a nasal formant.
  (rng) => {
    const pulses = 3 + Math.floor(rng() * 3);
    const period = ms(uniform(rng, 180, 260));
    const out = new Float32Array(pulses * period + ms(100));
    for (let k = 0; k < pulses; k++) {
      const len = Math.round(period * 0.5);
      const f0 = uniform(rng, 100, 160);
      mixInto(out, envelope(vowel(glottal(len, f0, f0 * 0.95, rng), [250, 2200], rng), (i, n) => Math.sin((Math.PI * i) / n)), k * period, 1);
    }
    return normalise(out, uniform(rng, -24, -14));
  },
];

function clapBurst(rng: Rng): Float32Array {
  return envelope(resonate(white(ms(30), rng), uniform(rng, 800, 2000), 1.2), (i) => Math.exp(-i / ms(uniform(rng, 3, 8))));
}

const APPLAUSE: Gen[] = [
  // A room applauding: Poisson claps, dense.
  (rng) => {
    const n = ms(uniform(rng, 1500, 3500));
    const out = new Float32Array(n);
    const rate = uniform(rng, 15, 40);
    for (let at = 0; at < n; at += Math.max(1, Math.round((-Math.log(1 - rng()) * SR) / rate))) mixInto(out, clapBurst(rng), at, uniform(rng, 0.3, 1));
    return normalise(envelope(out, (i, len) => Math.min(1, i / ms(150), (len - i) / ms(400))), uniform(rng, -18, -8));
  },
  // Two or three people clapping, sparse and rhythmic.
  (rng) => {
    const n = ms(uniform(rng, 1000, 2500));
    const out = new Float32Array(n);
    for (let p = 0; p < 2 + Math.floor(rng() * 2); p++) {
      const per = ms(uniform(rng, 180, 300));
      for (let at = ms(uniform(rng, 0, 100)); at < n; at += per + ms(uniform(rng, -20, 20))) mixInto(out, clapBurst(rng), at, uniform(rng, 0.6, 1));
    }
    return normalise(out, uniform(rng, -18, -10));
  },
];

const MUSIC: Gen[] = [
  // A piano-like arpeggio over a chord (a phone's ringtone or a video).
  (rng) => {
    const n = ms(uniform(rng, 2000, 4000));
    const out = new Float32Array(n);
    const root = uniform(rng, 110, 260);
    const chord = [1, 1.26, 1.5, 2];
    const step = ms(uniform(rng, 120, 260));
    for (let at = 0, k = 0; at < n; at += step, k++) {
      const f = root * (chord[k % chord.length] ?? 1) * (k % 8 >= 4 ? 2 : 1);
      mixInto(out, modes(ms(600), [f, 2 * f, 3 * f], [300, 150, 80], rng), at, 1);
    }
    return normalise(out, uniform(rng, -22, -12));
  },
  // A synth pad with a bass line.
  (rng) => {
    const n = ms(uniform(rng, 2000, 4000));
    const out = new Float32Array(n);
    const root = uniform(rng, 80, 140);
    const beat = ms(uniform(rng, 400, 600));
    for (let i = 0; i < n; i++) {
      const bar = Math.floor(i / (beat * 4)) % 2;
      const f = root * (bar ? 1.335 : 1);
      out[i] = 0.3 * Math.sin((2 * Math.PI * f * i) / SR) + 0.15 * Math.sin((2 * Math.PI * f * 2.5 * i) / SR) + 0.1 * Math.sin((2 * Math.PI * f * 3 * i) / SR);
      out[i] = (out[i] ?? 0) * (0.6 + 0.4 * Math.exp(-(i % beat) / ms(150)));
    }
    return normalise(out, uniform(rng, -24, -14));
  },
  // Drums: kick and hi-hat.
  (rng) => {
    const n = ms(uniform(rng, 2000, 3500));
    const out = new Float32Array(n);
    const beat = ms(uniform(rng, 350, 550));
    for (let at = 0, k = 0; at < n; at += beat / 2, k++) {
      if (k % 2 === 0) mixInto(out, modes(ms(200), [uniform(rng, 50, 70), 110], [60, 30], rng), at, 1.5);
      mixInto(out, envelope(onePole(white(ms(50), rng), 0.5, true), (i) => Math.exp(-i / ms(10))), at, 0.5);
    }
    return normalise(out, uniform(rng, -22, -12));
  },
];

const BREATHING: Gen[] = [
  // Mouth breathing close to the mic: in and out, broadband, slow envelopes.
  (rng) => {
    const out = new Float32Array(ms(3000));
    let at = 0;
    for (let k = 0; k < 2 + Math.floor(rng() * 2) && at < ms(2400); k++) {
      const len = ms(uniform(rng, 400, 800));
      mixInto(out, envelope(resonate(white(len, rng), uniform(rng, 500, 1500), 0.7), (i, n) => Math.sin((Math.PI * i) / n) ** 2), at, 1);
      at += len + ms(uniform(rng, 100, 300));
    }
    return normalise(out.subarray(0, at).slice(), uniform(rng, -28, -16));
  },
  // Nasal breathing: duller.
  (rng) => {
    const out = new Float32Array(ms(2500));
    let at = 0;
    for (let k = 0; k < 2 + Math.floor(rng() * 2) && at < ms(2000); k++) {
      const len = ms(uniform(rng, 500, 900));
      mixInto(out, envelope(onePole(white(len, rng), 0.97), (i, n) => Math.sin((Math.PI * i) / n) ** 2), at, 1);
      at += len + ms(uniform(rng, 100, 200));
    }
    return normalise(out.subarray(0, at).slice(), uniform(rng, -30, -18));
  },
  // A sigh: one long exhale, a touch of voice at the start.
  (rng) => {
    const len = ms(uniform(rng, 600, 1100));
    const out = envelope(resonate(white(len, rng), uniform(rng, 600, 1200), 0.8), (i, n) => Math.exp(-i / (n / 2.5)) * Math.min(1, i / ms(40)));
    mixInto(out, envelope(vowel(glottal(ms(150), 140, 110, rng), [700, 1100], rng), (i, n) => Math.sin((Math.PI * i) / n) * 0.15), 0, 1);
    return normalise(out, uniform(rng, -24, -14));
  },
];

const FAR_DOOR: Gen[] = [
  // A slam in the next room: dull, with a reverberant tail.
  (rng) => {
    const n = ms(uniform(rng, 500, 900));
    const out = modes(n, [uniform(rng, 40, 80), uniform(rng, 100, 180)], [120, 70], rng);
    const tail = envelope(onePole(white(n, rng), 0.97), (i) => Math.exp(-i / ms(uniform(rng, 120, 250))));
    mixInto(out, tail, 0, 0.6);
    return normalise(out, uniform(rng, -26, -14));
  },
  // Knocking: two to four knocks, muffled.
  (rng) => {
    const knocks = 2 + Math.floor(rng() * 3);
    const per = ms(uniform(rng, 150, 250));
    const out = new Float32Array(knocks * per + ms(300));
    for (let k = 0; k < knocks; k++) mixInto(out, modes(ms(250), [uniform(rng, 150, 300), uniform(rng, 400, 700)], [40, 20], rng), k * per, 1);
    return normalise(onePole(out, 0.6), uniform(rng, -26, -14));
  },
  // A door closing with its latch, far away: a thump, then a click, both reverberant.
  (rng) => {
    const out = new Float32Array(ms(900));
    mixInto(out, modes(ms(500), [uniform(rng, 50, 90)], [90], rng), 0, 1);
    mixInto(out, envelope(onePole(white(ms(400), rng), 0.8), (i) => Math.exp(-i / ms(100)) * 0.3), ms(uniform(rng, 80, 150)), 1);
    return normalise(out, uniform(rng, -28, -16));
  },
];

export const NEW_SFX = {
  sneeze: SNEEZE,
  chair: CHAIR,
  rustle: RUSTLE,
  drop: DROP,
  beep: BEEP,
  laughter: LAUGHTER,
  applause: APPLAUSE,
  music: MUSIC,
  breathing: BREATHING,
  fardoor: FAR_DOOR,
} as const;

export type NewSfxKind = keyof typeof NEW_SFX;

/** One instance of a family: a seeded choice of generator, then its own seeded draws. */
export function newSfx(kind: NewSfxKind, rng: Rng): Float32Array {
  const gen = pick(rng, NEW_SFX[kind]);
  return gen(rng);
}
