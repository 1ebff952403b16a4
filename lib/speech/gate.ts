/**
 * Where to run the voice model: only where it decides something. A participant whose level
 * is near their own noise floor cannot become a speaker by level, so their probability
 * would never change a decision; spending 0.2 ms per 32 ms window on every silent mic of a
 * 20-channel meeting would.
 *
 * Inputs, per participant, per 20 ms frame (the same frames the switch policy sees):
 *  - `dbov`: the frame's RFC 6464 level (0 loudest, 127 silence), or null for no audio
 *    (muted, no packet);
 *  - `t`: the frame's time in ms;
 *  - `challenger` (optional): the director may force the model on for a participant its
 *    policy is weighing (e.g. someone with level evidence who is not on program).
 *
 * Rule: open when the level is at least `aboveFloorDb` above the participant's own floor
 * (6 dB: half the policy's voiced threshold, so a whisper or a far phone is evaluated
 * before the policy calls it voiced) and louder than `absoluteGateDbov`; stay open for
 * `hangMs` after the last such frame (syllable dips and word ends keep being evaluated).
 * The floor follows the level down quickly and creeps up slowly, like the policy's.
 */
import { DBOV_SILENCE } from "@/lib/switching/level";

export interface SpeechGateOptions {
  aboveFloorDb: number;
  absoluteGateDbov: number;
  hangMs: number;
  floorFallMs: number;
  floorRiseDbPerS: number;
}

export const DEFAULT_GATE: Readonly<SpeechGateOptions> = Object.freeze({
  aboveFloorDb: 6,
  absoluteGateDbov: 70,
  hangMs: 300,
  floorFallMs: 60,
  floorRiseDbPerS: 1.5,
});

export class SpeechGate {
  private floorDb = Number.NaN;
  private lastT: number | null = null;
  private lastAboveT = Number.NEGATIVE_INFINITY;
  private opts: SpeechGateOptions;
  /** Whether the model should run for the audio of the last frame. */
  open = false;

  constructor(opts: Partial<SpeechGateOptions> = {}) {
    this.opts = { ...DEFAULT_GATE, ...opts };
  }

  /** Feed one frame; returns whether to run the model on this frame's audio. */
  update(t: number, dbov: number | null, challenger = false): boolean {
    const o = this.opts;
    const dt = this.lastT === null ? 20 : Math.min(100, Math.max(0, t - this.lastT));
    this.lastT = t;
    if (dbov === null || dbov >= DBOV_SILENCE) {
      this.open = challenger;
      return this.open;
    }
    const x = -dbov;
    if (Number.isNaN(this.floorDb)) this.floorDb = x;
    const above = x - this.floorDb >= o.aboveFloorDb && dbov <= o.absoluteGateDbov;
    if (above) this.lastAboveT = t;
    // Judge against the floor as it was, then move it (fast down, slow up).
    if (x < this.floorDb) this.floorDb += (x - this.floorDb) * (o.floorFallMs > 0 ? 1 - Math.exp(-dt / o.floorFallMs) : 1);
    else this.floorDb = Math.min(x, this.floorDb + (o.floorRiseDbPerS * dt) / 1000);
    this.open = challenger || t - this.lastAboveT <= o.hangMs;
    return this.open;
  }
}
