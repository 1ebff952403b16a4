/**
 * One participant's voice-activity detector: 16 kHz audio in, a speech probability per
 * 32 ms window out. The model (SileroVad) is shared; the recurrent state, the 64-sample
 * context and the partial window are this participant's.
 *
 * Gating: the caller says per push whether the model should run on that audio (see
 * SpeechGate). While closed, audio only goes into a short pre-roll ring. When the gate
 * opens again after a pause, the state is reset and the pre-roll (PREROLL_WINDOWS windows,
 * ~96 ms) is run first, so the model has heard the onset it would have heard running
 * continuously: the first probability of a word is then as high as without gating.
 */
import { SileroVad, VAD_CONTEXT, VAD_STATE_SIZE, VAD_WINDOW } from "./silero";

/** Windows of audio kept while the gate is closed and replayed when it opens. */
export const PREROLL_WINDOWS = 3;

export class VoiceDetector {
  private readonly state = new Float32Array(VAD_STATE_SIZE);
  /** [context | window]: the model's input, assembled in place. */
  private readonly input = new Float32Array(VAD_CONTEXT + VAD_WINDOW);
  /** Samples of the current partial window. */
  private fill = 0;
  /** Pre-roll ring (closed gate): the last PREROLL_WINDOWS × VAD_WINDOW samples. */
  private readonly ring = new Float32Array(PREROLL_WINDOWS * VAD_WINDOW);
  private ringPos = 0;
  private ringLen = 0;
  private wasOpen = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** Probability of the latest window run, or null while the gate is closed. */
  probability: number | null = null;
  /** Windows this participant has run (for cost accounting). */
  windows = 0;

  constructor(private readonly model: SileroVad) {}

  /**
   * Feeds audio at 16 kHz: Int16Array (PCM) or Float32Array in [-1, 1], any length (the
   * director's 10 or 20 ms frames). `evaluate` is the gate for this audio. Resolves with
   * the probability of the latest window run so far (null if the gate is closed). Calls
   * are serialised per detector, so the caller may fire and forget.
   */
  push(samples: Int16Array | Float32Array, evaluate: boolean): Promise<number | null> {
    const run = this.chain.then(() => this.process(samples, evaluate));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Forget everything (a participant's track was replaced). */
  reset(): void {
    this.state.fill(0);
    this.input.fill(0);
    this.fill = 0;
    this.ringLen = 0;
    this.wasOpen = false;
    this.probability = null;
  }

  private async process(samples: Int16Array | Float32Array, evaluate: boolean): Promise<number | null> {
    const scale = samples instanceof Int16Array ? 1 / 32768 : 1;
    if (!evaluate) {
      this.wasOpen = false;
      this.probability = null;
      this.fill = 0;
      for (let i = 0; i < samples.length; i++) {
        this.ring[this.ringPos] = (samples[i] ?? 0) * scale;
        this.ringPos = (this.ringPos + 1) % this.ring.length;
      }
      this.ringLen = Math.min(this.ring.length, this.ringLen + samples.length);
      return null;
    }
    if (!this.wasOpen) {
      // Opening: start from a clean state and replay the pre-roll, whole windows only.
      this.wasOpen = true;
      this.state.fill(0);
      this.input.fill(0);
      this.fill = 0;
      const whole = Math.floor(this.ringLen / VAD_WINDOW) * VAD_WINDOW;
      const start = (this.ringPos - whole + this.ring.length) % this.ring.length;
      for (let i = 0; i < whole; i++) await this.add(this.ring[(start + i) % this.ring.length] ?? 0);
      this.ringLen = 0;
    }
    for (let i = 0; i < samples.length; i++) await this.add((samples[i] ?? 0) * scale);
    return this.probability;
  }

  /** Appends one sample; runs the model when a window is complete. */
  private add(v: number): Promise<void> | undefined {
    this.input[VAD_CONTEXT + this.fill] = v;
    this.fill++;
    if (this.fill < VAD_WINDOW) return undefined;
    this.fill = 0;
    return this.model.infer(this.input, this.state).then((p) => {
      this.probability = p;
      this.windows++;
      // The last 64 samples of this window are the next window's context.
      this.input.copyWithin(0, VAD_WINDOW, VAD_WINDOW + VAD_CONTEXT);
    });
  }
}
