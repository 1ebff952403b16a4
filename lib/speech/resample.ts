/**
 * 48 kHz → 16 kHz for the voice model: a windowed-sinc lowpass at 7.2 kHz and keep every
 * third sample. The director gets 16 kHz straight from rtc-node's AudioStream; the lab's
 * WAVs are 48 kHz and go through this. Streaming: state carries across calls.
 */
const TAPS = 48;
const CUTOFF = 7200 / 48000;

function design(): Float32Array {
  const h = new Float32Array(TAPS);
  const m = TAPS - 1;
  let sum = 0;
  for (let i = 0; i < TAPS; i++) {
    const x = i - m / 2;
    const sinc = x === 0 ? 2 * CUTOFF : Math.sin(2 * Math.PI * CUTOFF * x) / (Math.PI * x);
    const w = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / m); // Hamming
    h[i] = sinc * w;
    sum += h[i] ?? 0;
  }
  for (let i = 0; i < TAPS; i++) h[i] = (h[i] ?? 0) / sum;
  return h;
}

const H = design();

export class Decimate3 {
  private readonly hist = new Float32Array(TAPS);
  private pos = 0;
  private phase = 0;

  /** int16 or float (-1..1) input at 48 kHz → float (-1..1) at 16 kHz. */
  process(input: Int16Array | Float32Array): Float32Array {
    const scale = input instanceof Int16Array ? 1 / 32768 : 1;
    const out = new Float32Array(Math.floor((input.length + this.phase) / 3) + 1);
    let n = 0;
    for (let i = 0; i < input.length; i++) {
      this.hist[this.pos] = (input[i] ?? 0) * scale;
      this.pos = (this.pos + 1) % TAPS;
      if (this.phase === 0) {
        let acc = 0;
        for (let k = 0; k < TAPS; k++) acc += (H[k] ?? 0) * (this.hist[(this.pos + k) % TAPS] ?? 0);
        out[n++] = acc;
      }
      this.phase = (this.phase + 1) % 3;
    }
    return out.subarray(0, n);
  }
}
