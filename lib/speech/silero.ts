/**
 * Silero VAD (v5, ONNX) driven directly through onnxruntime-node, with the model file that
 * ships inside @livekit/agents-plugin-silero. The plugin's own VAD stream needs an agents
 * job context and a stream per participant with its own session; here ONE session serves
 * every participant and each participant's recurrent state lives in its VoiceDetector.
 *
 * No LiveKit imports: the director and the lab both use this.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InferenceSession, Tensor } from "onnxruntime-node";

/** The model runs on 16 kHz mono. */
export const VAD_SAMPLE_RATE = 16_000;
/** One model window: 512 samples = 32 ms at 16 kHz (the only size Silero v5 accepts). */
export const VAD_WINDOW = 512;
export const VAD_WINDOW_MS = (VAD_WINDOW / VAD_SAMPLE_RATE) * 1000;
/** Silero v5 prepends the previous window's last 64 samples to each window. */
export const VAD_CONTEXT = 64;
/** Recurrent state: [2, 1, 128] float32. */
export const VAD_STATE_SIZE = 2 * 128;

/** Path of the ONNX file inside the installed plugin package. */
export function sileroModelPath(): string {
  // The package's exports map hides package.json; its CJS entry sits next to the model.
  // Resolve from this file: __filename where it runs as CommonJS (tsx, the lab), the
  // module URL in the compiled director (an ES module, where bundlers stub `require`).
  const from = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
  return join(dirname(createRequire(from).resolve("@livekit/agents-plugin-silero")), "silero_vad.onnx");
}

/**
 * One loaded model. Thread-safe to share: onnxruntime allows concurrent run() calls on one
 * session, and every call passes its own state in and out.
 */
export class SileroVad {
  private readonly sr = new Tensor("int64", BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  /** Windows run and the wall time they took, for /debug and the benchmark. */
  windows = 0;
  busyMs = 0;

  private constructor(private readonly session: InferenceSession) {}

  /**
   * Loads the model once (about 2 MB, ~50 ms). Single-threaded on purpose: the director
   * runs it for a few participants at a time, and 2-core hosts must not oversubscribe.
   */
  static async load(modelPath = sileroModelPath()): Promise<SileroVad> {
    const session = await InferenceSession.create(modelPath, {
      interOpNumThreads: 1,
      intraOpNumThreads: 1,
      executionMode: "sequential",
      executionProviders: ["cpu"],
      graphOptimizationLevel: "all",
    });
    return new SileroVad(session);
  }

  /**
   * Runs one window. `input` is VAD_CONTEXT + VAD_WINDOW float samples in [-1, 1];
   * `state` (VAD_STATE_SIZE floats) is read and overwritten with the next state.
   * Returns the speech probability 0..1 of the window.
   */
  async infer(input: Float32Array, state: Float32Array): Promise<number> {
    if (input.length !== VAD_CONTEXT + VAD_WINDOW) throw new Error(`SileroVad.infer: want ${VAD_CONTEXT + VAD_WINDOW} samples, got ${input.length}`);
    const t0 = performance.now();
    const out = await this.session.run({
      input: new Tensor("float32", input, [1, input.length]),
      state: new Tensor("float32", state, [2, 1, 128]),
      sr: this.sr,
    });
    const next = out["stateN"]?.data;
    const prob = out["output"]?.data;
    if (!(next instanceof Float32Array) || !(prob instanceof Float32Array)) throw new Error("SileroVad: unexpected model outputs");
    state.set(next);
    this.windows++;
    this.busyMs += performance.now() - t0;
    return prob[0] ?? 0;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
