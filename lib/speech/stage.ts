/**
 * The director's voice-model input stage in one object: one shared Silero session, and per
 * participant a SpeechGate and a VoiceDetector. The director calls `feed()` for every
 * 20 ms audio frame of every participant (as it arrives), flushes the model on its clock
 * and puts `speech()` into each `levels` observation it hands the policy.
 *
 *   const stage = await SpeechStage.create();
 *   // per participant, per 20 ms frame of 16 kHz mono (320 samples), as it arrives:
 *   stage.feed(identity, t, dbov, pcm);
 *   // per policy tick: score every window that arrived, in one batch, then decide
 *   await stage.model.flush();
 *   policy.observe({ type: "levels", t, levels, speech: stage.speech() });
 *
 * `frame()` is feed() plus waiting for that participant's windows (the lab, the tests).
 *   // on leave / track unpublished:
 *   stage.remove(identity);
 */
import { VoiceDetector } from "./detector";
import { DEFAULT_GATE, SpeechGate, type SpeechGateOptions } from "./gate";
import { SileroVad } from "./silero";

interface Entry {
  gate: SpeechGate;
  det: VoiceDetector;
}

export interface SpeechStageStats {
  participants: number;
  /** participants whose gate is open now (the model is running for them) */
  evaluating: number;
  windows: number;
  /** wall time inside the model; divide by windows for the cost of one 32 ms window */
  modelMs: number;
  /** share of one core the model took since the last stats() call, from window counts */
  coreShare: number;
}

export class SpeechStage {
  private readonly entries = new Map<string, Entry>();
  private lastStats = { windows: 0, busyMs: 0, at: performance.now() };

  private constructor(
    readonly model: SileroVad,
    private readonly gateOptions: Partial<SpeechGateOptions>,
  ) {}

  /** A stage on a model already loaded: the director keeps one model for all its rooms. */
  static withModel(model: SileroVad, gate: Partial<SpeechGateOptions> = {}): SpeechStage {
    return new SpeechStage(model, { ...DEFAULT_GATE, ...gate });
  }

  /** Loads the model (~50 ms, ~30 MB RSS for the session). */
  static async create(gate: Partial<SpeechGateOptions> = {}, modelPath?: string): Promise<SpeechStage> {
    return new SpeechStage(await SileroVad.load(modelPath), { ...DEFAULT_GATE, ...gate });
  }

  /**
   * One 20 ms frame of a participant: 16 kHz mono PCM (Int16Array, or Float32Array in
   * [-1, 1]) and the dBov level the director computed for the same frame (null when the
   * track sends nothing). `challenger` forces the model on (see SpeechGate). Synchronous:
   * the windows it completes wait for the model's next flush.
   */
  feed(id: string, t: number, dbov: number | null, pcm: Int16Array | Float32Array, challenger = false): void {
    const e = this.entry(id);
    e.det.feed(pcm, e.gate.update(t, dbov, challenger));
  }

  /**
   * feed(), then waits until the frame's windows have run. Resolves with the probability
   * for this frame, or undefined when the model did not run for it.
   */
  async frame(id: string, t: number, dbov: number | null, pcm: Int16Array | Float32Array, challenger = false): Promise<number | undefined> {
    const e = this.entry(id);
    const open = e.gate.update(t, dbov, challenger);
    const p = await e.det.push(pcm, open);
    return open && p !== null ? p : undefined;
  }

  /** The `speech` map of a levels observation: only participants evaluated now. */
  speech(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, e] of this.entries) {
      const p = e.det.probability;
      if (e.gate.open && p !== null) out[id] = p;
    }
    return out;
  }

  private entry(id: string): Entry {
    let e = this.entries.get(id);
    if (!e) {
      e = { gate: new SpeechGate(this.gateOptions), det: new VoiceDetector(this.model) };
      this.entries.set(id, e);
    }
    return e;
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  stats(): SpeechStageStats {
    const now = performance.now();
    const windows = this.model.windows - this.lastStats.windows;
    const busy = this.model.busyMs - this.lastStats.busyMs;
    const elapsed = Math.max(1, now - this.lastStats.at);
    this.lastStats = { windows: this.model.windows, busyMs: this.model.busyMs, at: now };
    let evaluating = 0;
    for (const e of this.entries.values()) if (e.gate.open && e.det.probability !== null) evaluating++;
    return { participants: this.entries.size, evaluating, windows, modelMs: busy, coreShare: busy / elapsed };
  }
}
