/**
 * "loudest" (formerly "seed"; this file keeps the old name): the original server.py rule,
 * reproduced as a baseline for the lab.
 *
 * Our reading of server.py (README: "tracks audio levels per client with timestamps;
 * considers only recent audio (within 1 second); switches to speaker with highest level
 * above threshold"):
 *  - each client has a latest reading (RMS of its int16 PCM) and the time it was taken;
 *  - only readings above AUDIO_THRESHOLD are kept, so a client that falls silent keeps
 *    its last loud reading until it goes stale;
 *  - on every frame, the program is the client with the loudest kept reading among those
 *    whose reading is younger than TIME_WINDOW; if nobody qualifies, the program stays.
 * There is no noise floor, no evidence time, no margin and no dwell: it may switch on
 * every frame. Levels arrive as dBov and are turned back into int16 RMS with rmsFromDbov.
 *
 * Additions the original did not have, kept minimal so the comparison stays fair:
 *  - pin/unpin as in "evidence" (the admin feature exists in this system whatever the policy);
 *    unpin applies the rule at once and keeps the pinned one if nobody qualifies;
 *  - the holder leaving: the rule is applied at once, and with nobody qualifying the
 *    program becomes null (a gone client cannot be shown);
 *  - mute drops that client's reading; the original had no mute event, a muted client
 *    simply stopped being loud, so a muted holder stays until someone qualifies.
 *  - speakers observations are ignored.
 *  - the vision mixer's inputs: a take cuts at once and holds TAKE_HOLD_MS (the rule would
 *    otherwise undo it on the next frame); a `favor` participant's reading counts
 *    FAVOR_MARGIN_DB louder; the channel's shot length, when an admin sets one, is a
 *    minimum time between the rule's cuts (this policy has no dwell of its own).
 */
import { FAVOR_MARGIN_DB, TAKE_HOLD_MS, type SwitchConfig } from "./config";
import { rmsFromDbov } from "./level";
import type { Decision, DecisionReason, Observation, ParticipantId, SwitchPolicy } from "./types";

/** A present participant and its last above-threshold reading (t = -Infinity: none). */
interface Reading {
  readonly id: ParticipantId;
  rms: number;
  t: number;
  dbov: number;
}

function emptyReading(id: ParticipantId): Reading {
  return { id, rms: 0, t: Number.NEGATIVE_INFINITY, dbov: 127 };
}

export class SeedPolicy implements SwitchPolicy {
  readonly name = "loudest";
  private readonly threshold: number;
  private readonly windowMs: number;
  /** Present participants with their last above-threshold reading. */
  private readonly readings = new Map<ParticipantId, Reading>();
  private readonly muted = new Set<ParticipantId>();
  private programId: ParticipantId | null = null;
  private pinnedId: ParticipantId | null = null;
  /** Time of the latest levels frame: "speaking" means above the threshold in it. */
  private lastFrameT = Number.NEGATIVE_INFINITY;
  /** The rule does not cut before this time (a take's hold, the admin's shot length). */
  private lastSwitchT = Number.NEGATIVE_INFINITY;
  private lastWasTake = false;
  /** An admin's shot length, ms (0: none, the original rule). */
  private shotLengthMs = 0;
  private readonly favored = new Set<ParticipantId>();

  constructor(config: SwitchConfig) {
    this.threshold = config.audioThreshold;
    this.windowMs = config.timeWindowS * 1000;
  }

  get program(): ParticipantId | null {
    return this.programId;
  }

  get pinned(): ParticipantId | null {
    return this.pinnedId;
  }

  speaking(id: ParticipantId): boolean {
    const r = this.readings.get(id);
    return r !== undefined && !this.muted.has(id) && r.t === this.lastFrameT;
  }

  observe(obs: Observation): Decision | null {
    switch (obs.type) {
      case "levels": {
        this.lastFrameT = obs.t;
        for (const id in obs.levels) {
          const dbov = obs.levels[id];
          if (dbov === undefined || this.muted.has(id)) continue;
          let r = this.readings.get(id);
          if (!r) {
            r = emptyReading(id);
            this.readings.set(id, r);
          }
          const rms = rmsFromDbov(dbov);
          if (rms > this.threshold) {
            r.rms = rms;
            r.t = obs.t;
            r.dbov = dbov;
          }
        }
        if (this.pinnedId !== null || obs.t - this.lastSwitchT < this.minShotMs()) return null;
        return this.applyRule(obs.t, "rule", false);
      }
      case "join":
        if (!this.readings.has(obs.id)) this.readings.set(obs.id, emptyReading(obs.id));
        return null;
      case "leave": {
        this.readings.delete(obs.id);
        this.muted.delete(obs.id);
        const pinCleared = this.pinnedId === obs.id;
        if (pinCleared) this.pinnedId = null;
        if (this.programId !== obs.id) return null;
        const d = this.applyRule(obs.t, "holder-left", true);
        return d && pinCleared ? { ...d, pinCleared } : d;
      }
      case "mute":
        if (obs.muted) {
          this.muted.add(obs.id);
          if (this.readings.has(obs.id)) this.readings.set(obs.id, emptyReading(obs.id));
        } else {
          this.muted.delete(obs.id);
        }
        return null;
      case "pin":
        if (obs.id !== null) {
          this.pinnedId = obs.id;
          if (!this.readings.has(obs.id)) this.readings.set(obs.id, emptyReading(obs.id));
          return this.switchTo(obs.t, obs.id, "pin", { pinned: 1 });
        }
        if (this.pinnedId === null) return null;
        this.pinnedId = null;
        return this.applyRule(obs.t, "unpin", false);
      case "speakers":
        return null;
      case "take":
        if (this.pinnedId !== null || !this.readings.has(obs.id)) return null;
        return this.switchTo(obs.t, obs.id, "take", { take: 1 });
      case "roles":
        this.favored.clear();
        for (const [id, role] of Object.entries(obs.roles)) if (role === "favor") this.favored.add(id);
        return null;
      case "shotLength":
        this.shotLengthMs = obs.ms ?? 0;
        return null;
      case "wide":
        return null;
    }
  }

  private minShotMs(): number {
    return this.lastWasTake ? Math.max(TAKE_HOLD_MS, this.shotLengthMs) : this.shotLengthMs;
  }

  /** The original rule; `dropHolder` when the holder is gone and cannot be kept. */
  private applyRule(t: number, reason: DecisionReason, dropHolder: boolean): Decision | null {
    let best: Reading | null = null;
    let bestRms = 0;
    const favorGain = 10 ** (FAVOR_MARGIN_DB / 20);
    for (const r of this.readings.values()) {
      // "Fresher than TIME_WINDOW": age strictly below it. Muted readings were cleared.
      if (!(t - r.t < this.windowMs)) continue;
      const rms = this.favored.has(r.id) ? r.rms * favorGain : r.rms;
      // Strictly louder wins, so on a tie the holder (else the earlier joiner) keeps it.
      if (best === null || rms > bestRms || (rms === bestRms && r.id === this.programId)) {
        best = r;
        bestRms = rms;
      }
    }
    if (best === null) return dropHolder ? this.switchTo(t, null, reason, { candidates: 0 }) : null;
    return this.switchTo(t, best.id, reason, {
      rms: Math.round(best.rms),
      levelDbov: best.dbov,
      ageMs: Math.round(t - best.t),
      threshold: this.threshold,
    });
  }

  private switchTo(
    t: number,
    id: ParticipantId | null,
    reason: DecisionReason,
    evidence: Record<string, number>,
  ): Decision | null {
    if (id === this.programId) return null;
    const previous = this.programId;
    this.programId = id;
    this.lastSwitchT = t;
    this.lastWasTake = reason === "take";
    return { t, program: id, previous, reason, evidence };
  }
}
