/**
 * The director's voice-model input stage in one object: one shared Silero session, and per
 * participant a SpeechGate and a VoiceDetector. The director calls `frame()` for every
 * 20 ms audio frame of every participant (in that participant's audio loop) and puts
 * `speech()` into each `levels` observation it hands the policy.
 *
 *   const stage = await SpeechStage.create();
 *   // per participant audio loop, AudioStream at 16 kHz mono, 20 ms frames (320 samples):
 *   await stage.frame(identity, t, dbov, frame.data);
 *   // per policy tick:
 *   policy.observe({ type: "levels", t, levels, speech: stage.speech() });
 *   // on leave / track unpublished:
 *   stage.remove(identity);
 */
import { VoiceDetector } from "./detector";
import { DEFAULT_GATE, SpeechGate, type SpeechGateOptions } from "./gate";
import { SileroVad } from "./silero";

interface Entry {
  gate: SpeechGate;
  det: VoiceDetector;
  /** the latest probability while the gate is open, else undefined (not evaluated) */
  p: number | undefined;
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
   * track sends nothing). `challenger` forces the model on (see SpeechGate). Resolves with
   * the probability for this frame, or undefined when the model did not run for it.
   */
  async frame(id: string, t: number, dbov: number | null, pcm: Int16Array | Float32Array, challenger = false): Promise<number | undefined> {
    let e = this.entries.get(id);
    if (!e) {
      e = { gate: new SpeechGate(this.gateOptions), det: new VoiceDetector(this.model), p: undefined };
      this.entries.set(id, e);
    }
    const open = e.gate.update(t, dbov, challenger);
    const p = await e.det.push(pcm, open);
    e.p = open && p !== null ? p : undefined;
    return e.p;
  }

  /** The `speech` map of a levels observation: only participants evaluated now. */
  speech(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, e] of this.entries) if (e.p !== undefined) out[id] = e.p;
    return out;
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
    for (const e of this.entries.values()) if (e.p !== undefined) evaluating++;
    return { participants: this.entries.size, evaluating, windows, modelMs: busy, coreShare: busy / elapsed };
  }
}
