/**
 * One participant's voice-activity detector: 16 kHz audio in, a speech probability per
 * 32 ms window out. The model (SileroVad) is shared and runs windows in batches; the
 * recurrent state, the 64-sample context and the partial window are this participant's.
 *
 * Gating: the caller says per push whether the model should run on that audio (see
 * SpeechGate). While closed, audio only goes into a short pre-roll ring. When the gate
 * opens again after a pause, the state is reset and the pre-roll (PREROLL_WINDOWS windows,
 * ~96 ms) is run first, so the model has heard the onset it would have heard running
 * continuously: the first probability of a word is then as high as without gating.
 *
 * `push()` only copies samples and queues the windows it completed; `probability` is
 * that of the latest window the model has run (null while the gate is closed). The
 * director reads it after flushing the model on its clock; the lab awaits each push.
 */
import { SileroVad, VAD_CONTEXT, VAD_STATE_SIZE, VAD_WINDOW } from "./silero";

/** Windows of audio kept while the gate is closed and replayed when it opens. */
export const PREROLL_WINDOWS = 3;

export class VoiceDetector {
  /** Replaced (not cleared) on a reset: windows still queued keep writing the old one. */
  private state = new Float32Array(VAD_STATE_SIZE);
  /** [context | window]: the model's input, assembled in place (the model copies it). */
  private readonly input = new Float32Array(VAD_CONTEXT + VAD_WINDOW);
  /** Samples of the current partial window. */
  private fill = 0;
  /** Pre-roll ring (closed gate): the last PREROLL_WINDOWS × VAD_WINDOW samples. */
  private readonly ring = new Float32Array(PREROLL_WINDOWS * VAD_WINDOW);
  private ringPos = 0;
  private ringLen = 0;
  private wasOpen = false;
  /** Bumped on every close or reset: results of windows queued before it are dropped. */
  private generation = 0;
  /** Settles when the latest queued window has run. */
  private last: Promise<void> = Promise.resolve();
  /** Probability of the latest window run, or null while the gate is closed. */
  probability: number | null = null;
  /** Windows this participant has run (for cost accounting). */
  windows = 0;

  constructor(private readonly model: SileroVad) {}

  /**
   * Feeds audio at 16 kHz: Int16Array (PCM) or Float32Array in [-1, 1], any length (the
   * director's 20 ms frames). `evaluate` is the gate for this audio. Synchronous: the
   * windows it completes are queued on the model. Resolves, once they have run, with the
   * probability of the latest window run (null if the gate is closed).
   */
  push(samples: Int16Array | Float32Array, evaluate: boolean): Promise<number | null> {
    this.feed(samples, evaluate);
    const gen = this.generation;
    return this.last.then(() => (gen === this.generation ? this.probability : null));
  }

  /** push() without the promise: the director's per-frame path. */
  feed(samples: Int16Array | Float32Array, evaluate: boolean): void {
    const scale = samples instanceof Int16Array ? 1 / 32768 : 1;
    if (!evaluate) {
      if (this.wasOpen) {
        this.wasOpen = false;
        this.generation++;
      }
      this.probability = null;
      this.fill = 0;
      const ring = this.ring;
      let pos = this.ringPos;
      for (let i = 0; i < samples.length; i++) {
        ring[pos] = (samples[i] ?? 0) * scale;
        pos = pos + 1 === ring.length ? 0 : pos + 1;
      }
      this.ringPos = pos;
      this.ringLen = Math.min(ring.length, this.ringLen + samples.length);
      return;
    }
    if (!this.wasOpen) {
      // Opening: start from a clean state and replay the pre-roll, whole windows only.
      this.wasOpen = true;
      this.generation++;
      this.state = new Float32Array(VAD_STATE_SIZE);
      this.input.fill(0);
      this.fill = 0;
      const whole = Math.floor(this.ringLen / VAD_WINDOW) * VAD_WINDOW;
      const start = (this.ringPos - whole + this.ring.length) % this.ring.length;
      for (let i = 0; i < whole; i++) this.add(this.ring[(start + i) % this.ring.length] ?? 0);
      this.ringLen = 0;
    }
    this.append(samples, scale);
  }

  /** Appends samples, a window's worth at a time; queues each window it completes. */
  private append(samples: Int16Array | Float32Array, scale: number): void {
    const input = this.input;
    let i = 0;
    while (i < samples.length) {
      const n = Math.min(VAD_WINDOW - this.fill, samples.length - i);
      const at = VAD_CONTEXT + this.fill;
      if (scale === 1) input.set(samples.subarray(i, i + n), at);
      else for (let k = 0; k < n; k++) input[at + k] = (samples[i + k] as number) * scale;
      i += n;
      this.fill += n;
      if (this.fill === VAD_WINDOW) this.complete();
    }
  }

  /** Forget everything (a participant's track was replaced). */
  reset(): void {
    this.generation++;
    this.state = new Float32Array(VAD_STATE_SIZE);
    this.input.fill(0);
    this.fill = 0;
    this.ringLen = 0;
    this.wasOpen = false;
    this.probability = null;
  }

  /** Appends one sample; queues the window when it is complete. */
  private add(v: number): void {
    this.input[VAD_CONTEXT + this.fill] = v;
    this.fill++;
    if (this.fill === VAD_WINDOW) this.complete();
  }

  /** The window is full: queue it on the model. */
  private complete(): void {
    this.fill = 0;
    const gen = this.generation;
    const ran = new Promise<void>((resolve, reject) => {
      this.model.enqueue(
        this.input,
        this.state,
        (p) => {
          if (gen === this.generation) {
            this.probability = p;
            this.windows++;
          }
          resolve();
        },
        reject, // the probability stays as it was; push() rejects, the director's flush logs it
      );
    });
    ran.catch(() => undefined); // feed() has nobody to tell
    this.last = ran;
    // The last 64 samples of this window are the next window's context.
    this.input.copyWithin(0, VAD_WINDOW, VAD_WINDOW + VAD_CONTEXT);
  }
}
