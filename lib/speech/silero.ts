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

/** At most this many windows go into one run of the model (one round of a flush). */
export const VAD_MAX_BATCH = 32;

interface Job {
  /** VAD_CONTEXT + VAD_WINDOW samples, owned by the job (copied at enqueue) */
  input: Float32Array;
  /** the detector's recurrent state: read by this job and overwritten with the next */
  state: Float32Array;
  done(p: number): void;
  fail(err: unknown): void;
}

/**
 * One loaded model, shared by every participant of every room in the process.
 *
 * Windows are run in batches. Silero v5 takes a batch dimension (input [B, 576], state
 * [2, B, 128]), and most of the cost of one window run alone is the call, not the
 * model: on a 2-core host a window costs about 0.18 ms of CPU alone and 0.07 ms in a
 * batch of 16 (`npm run bench:vad -- --compare`). So `infer()` only queues the window;
 * `flush()` runs what is queued, one batch per round, a participant's windows in order
 * (each needs the state its previous window left).
 *
 * `autoFlush` (default): a flush is scheduled for the next turn of the event loop, so a
 * caller that awaits each window (the lab, the tests) gets it as before. The director
 * turns it off and flushes on its 20 ms clock, just before the policy steps, so every
 * window that arrived before a tick is scored in one batch and counts at that tick.
 */
export class SileroVad {
  private readonly sr = new Tensor("int64", BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  /** Windows run and the wall time the runs took, for /debug and the benchmark. */
  windows = 0;
  busyMs = 0;
  /** runs of the model (batches); windows / runs is the mean batch size */
  runs = 0;
  /** false: windows wait for an explicit flush() (the director's clock) */
  autoFlush = true;
  /** Told when an automatic flush fails (the director logs it). */
  onError: ((err: unknown) => void) | null = null;
  private queue: Job[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;

  private constructor(private readonly session: InferenceSession) {}

  /**
   * Loads the model once (about 2 MB, ~50 ms). Single-threaded on purpose: the director
   * shares 2-core hosts with the SFU, and a batch of a few dozen windows is small work.
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

  /** Windows queued and not yet run. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Queues one window. `input` is VAD_CONTEXT + VAD_WINDOW float samples in [-1, 1]
   * (copied now: the caller may reuse its buffer); `state` (VAD_STATE_SIZE floats) is
   * read when the window runs and overwritten with the next state. `done` gets the
   * speech probability 0..1 of the window, synchronously inside the flush that ran it.
   */
  enqueue(input: Float32Array, state: Float32Array, done: (p: number) => void, fail: (err: unknown) => void): void {
    if (input.length !== VAD_CONTEXT + VAD_WINDOW) throw new Error(`SileroVad: want ${VAD_CONTEXT + VAD_WINDOW} samples, got ${input.length}`);
    if (state.length !== VAD_STATE_SIZE) throw new Error(`SileroVad: want a state of ${VAD_STATE_SIZE}, got ${state.length}`);
    this.queue.push({ input: input.slice(), state, done, fail });
    if (this.autoFlush && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush().catch((err: unknown) => this.onError?.(err)); // each job's fail() has it too
      });
    }
  }

  /** enqueue() as a promise of the window's probability. */
  infer(input: Float32Array, state: Float32Array): Promise<number> {
    return new Promise((resolve, reject) => this.enqueue(input, state, resolve, reject));
  }

  /**
   * Runs every queued window, and those queued while it runs, in batches; resolves when
   * the queue is empty or after `maxRounds` runs (what is left waits for the next flush).
   * Concurrent calls share one flush. Rejects (after failing the jobs of the batch) if
   * the model fails.
   */
  flush(maxRounds = Number.POSITIVE_INFINITY): Promise<void> {
    this.flushing ??= this.drain(maxRounds).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async drain(maxRounds: number): Promise<void> {
    for (let round = 0; round < maxRounds && this.queue.length > 0; round++) {
      // One window per state (participant) per round, oldest first, up to the cap.
      const batch: Job[] = [];
      const rest: Job[] = [];
      const taken = new Set<Float32Array>();
      for (const job of this.queue) {
        if (batch.length < VAD_MAX_BATCH && !taken.has(job.state)) {
          taken.add(job.state);
          batch.push(job);
        } else rest.push(job);
      }
      this.queue = rest;
      await this.run(batch);
    }
  }

  private async run(batch: Job[]): Promise<void> {
    const b = batch.length;
    const width = VAD_CONTEXT + VAD_WINDOW;
    const half = VAD_STATE_SIZE / 2;
    const input = new Float32Array(b * width);
    const state = new Float32Array(2 * b * half);
    batch.forEach((job, j) => {
      input.set(job.input, j * width);
      // state [2, B, 128]: the job's two halves go to rows j and B + j
      state.set(job.state.subarray(0, half), j * half);
      state.set(job.state.subarray(half), (b + j) * half);
    });
    const t0 = performance.now();
    let next: unknown;
    let prob: unknown;
    try {
      const out = await this.session.run({
        input: new Tensor("float32", input, [b, width]),
        state: new Tensor("float32", state, [2, b, half]),
        sr: this.sr,
      });
      next = out["stateN"]?.data;
      prob = out["output"]?.data;
      if (!(next instanceof Float32Array) || !(prob instanceof Float32Array)) throw new Error("SileroVad: unexpected model outputs");
    } catch (err) {
      for (const job of batch) job.fail(err);
      throw err;
    } finally {
      this.busyMs += performance.now() - t0;
    }
    this.runs++;
    this.windows += b;
    const nextState = next as Float32Array;
    const p = prob as Float32Array;
    batch.forEach((job, j) => {
      job.state.set(nextState.subarray(j * half, (j + 1) * half), 0);
      job.state.set(nextState.subarray((b + j) * half, (b + j + 1) * half), half);
      try {
        job.done(p[j] ?? 0);
      } catch {
        // a consumer's bug must not stop the other participants' windows
      }
    });
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
