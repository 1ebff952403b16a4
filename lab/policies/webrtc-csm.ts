/**
 * libwebrtc/libjingle's CurrentSpeakerMonitor, re-implemented from
 * talk/session/media/currentspeakermonitor.cc (later webrtc/pc/currentspeakermonitor.cc):
 * a per-stream state machine (not speaking → might be → speaking → was speaking 1 → 2),
 * the current speaker's inter-word silences count as the top level 9, and no switch happens
 * within 1000 ms of the previous one (kDefaultMinTimeBetweenSwitches). It is fed by the
 * AudioMonitor, polled every 100 ms (call.cc kAudioMonitorPollPeriodMillis), whose level is
 * voice_engine/audio_level.cc's 0..9 bar: kPermutation[absMax / 1000] with the max decayed
 * by 4 at each update.
 *
 * Assumption (our traces carry RMS dBov, not peaks): absMax ≈ RMS · CREST_FACTOR. When the
 * monitor's current speaker becomes "nobody" (ssrc 0) the program keeps the last face, but
 * that change still starts the 1 s switch hold-off, as in the source.
 */
import { rmsFromDbov } from "@/lib/switching/level";
import type { ParticipantId } from "@/lib/switching/types";
import { AnchorPolicy } from "./common";

export const CSM = {
  MAX_AUDIO_LEVEL: 9,
  MIN_TIME_BETWEEN_SWITCHES_MS: 1000,
  POLL_MS: 100,
  /** peak-to-RMS of speech over a 20 ms frame, about 10 dB */
  CREST_FACTOR: 3,
} as const;

const PERMUTATION = [0, 1, 2, 3, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9] as const;

/** audio_level.cc: the 0..9 bar for an absolute peak (int16). */
export function barLevel(absMax: number): number {
  let position = Math.floor(absMax / 1000);
  // Only a very quiet signal (<= 250) stays at bar 0.
  if (position === 0 && absMax > 250) position = 1;
  return PERMUTATION[Math.min(32, position)] ?? 9;
}

type State = "not" | "might" | "speaking" | "was1" | "was2";

export class WebrtcCsmPolicy extends AnchorPolicy {
  readonly name = "webrtc-csm";
  private readonly absMax = new Map<ParticipantId, number>();
  private readonly states = new Map<ParticipantId, State>();
  private currentSpeaker: ParticipantId | null = null;
  private earliestSwitch = 0;

  constructor(
    phaseMs = 0,
    private readonly minTimeBetweenSwitchesMs: number = CSM.MIN_TIME_BETWEEN_SWITCHES_MS,
  ) {
    super(CSM.POLL_MS, phaseMs);
  }

  protected onPacket(id: ParticipantId, dbov: number): void {
    const peak = Math.min(32767, rmsFromDbov(dbov) * CSM.CREST_FACTOR);
    this.absMax.set(id, Math.max(this.absMax.get(id) ?? 0, peak));
  }

  protected override onLeave(id: ParticipantId, t: number): void {
    this.absMax.delete(id);
    this.states.delete(id);
    if (this.program === id) this.cut(t, null, "holder-left");
  }

  protected override tick(t: number): void {
    // AudioMonitor: the streams with a non-zero level; the max then decays by 4.
    const active = new Map<ParticipantId, number>();
    for (const [id, max] of this.absMax) {
      const level = barLevel(max);
      if (level > 0) active.set(id, level);
      this.absMax.set(id, Math.floor(max / 4));
    }
    for (const id of active.keys()) if (!this.states.has(id)) this.states.set(id, "not");

    let maxLevel = 0;
    let loudest: ParticipantId | null = null;
    // std::map order; participants in join order stand in for ssrc order.
    const order = [...this.states.keys()].sort((a, b) => this.present.indexOf(a) - this.present.indexOf(b));
    for (const id of order) {
      const isPrevious = this.currentSpeaker === id;
      let level = active.get(id) ?? 0;
      const st = this.states.get(id) ?? "not";
      switch (st) {
        case "not":
          if (level > 0) {
            // One loud poll is not yet speech.
            level = 0;
            this.states.set(id, "might");
          }
          break;
        case "might":
          this.states.set(id, level > 0 ? "speaking" : "not");
          break;
        case "speaking":
          if (level === 0) {
            this.states.set(id, "was1");
            // An inter-word silence of the current speaker keeps the top level.
            if (isPrevious) level = CSM.MAX_AUDIO_LEVEL;
          }
          break;
        case "was1":
          if (level > 0) this.states.set(id, "speaking");
          else {
            this.states.set(id, "was2");
            if (isPrevious) level = CSM.MAX_AUDIO_LEVEL;
          }
          break;
        case "was2":
          this.states.set(id, level > 0 ? "speaking" : "not");
          break;
      }
      if (level > maxLevel) {
        loudest = id;
        maxLevel = level;
      } else if (level > 0 && level === maxLevel && isPrevious) {
        loudest = id; // ties favour continuity
      }
    }
    if (this.earliestSwitch <= t && this.currentSpeaker !== loudest) {
      this.currentSpeaker = loudest;
      this.earliestSwitch = t + this.minTimeBetweenSwitchesMs;
      if (loudest !== null) this.cut(t, loudest, "rule", { level: maxLevel });
    }
  }
}
