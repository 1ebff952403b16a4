/**
 * LiveKit's active-speaker detection, re-implemented from livekit/livekit
 * pkg/sfu/audio/audiolevel.go (AudioLevel) and pkg/rtc/room.go (GetActiveSpeakers,
 * audioUpdateWorker), with DefaultAudioLevelConfig: active_level 35, min_percentile 40,
 * update_interval 400 ms, smooth_intervals 2. Program = the top active speaker; when the
 * list is empty the program stays where it was (a speaker view keeps the last face).
 */
import type { ParticipantId } from "@/lib/switching/types";
import { AnchorPolicy } from "./common";

export interface LiveKitConfig {
  activeLevel: number;
  minPercentile: number;
  updateIntervalMs: number;
  smoothIntervals: number;
}

export const LIVEKIT_DEFAULTS: LiveKitConfig = { activeLevel: 35, minPercentile: 40, updateIntervalMs: 400, smoothIntervals: 2 };

/** audiolevel.go ConvertAudioLevel: dBov back to linear amplitude. */
export function convertAudioLevel(level: number): number {
  return 10 ** (-level / 20);
}

/** One participant's AudioLevel (audiolevel.go). */
export class LiveKitAudioLevel {
  private smoothed = 0;
  private loudest = 127;
  private activeMs = 0;
  private observedMs = 0;
  private lastObservedAt = -Infinity;
  private readonly minActiveMs: number;
  private readonly smoothFactor: number;
  readonly activeThreshold: number;

  constructor(private readonly cfg: LiveKitConfig) {
    this.minActiveMs = Math.floor((cfg.minPercentile * cfg.updateIntervalMs) / 100);
    // EMA with the same centre of mass as an SMA over smooth_intervals.
    this.smoothFactor = cfg.smoothIntervals > 0 ? 2 / (cfg.smoothIntervals + 1) : 1;
    this.activeThreshold = convertAudioLevel(cfg.activeLevel);
  }

  /** observeLocked: accumulate; every update_interval of observed audio, compute and reset. */
  observe(level: number, durationMs: number, t: number): void {
    this.lastObservedAt = t;
    this.observedMs += durationMs;
    if (level <= this.cfg.activeLevel) {
      this.activeMs += durationMs;
      if (this.loudest > level) this.loudest = level;
    }
    if (this.observedMs >= this.cfg.updateIntervalMs) {
      let next = 0;
      // A window below min_percentile resets the level to 0 outright (no smoothing down).
      if (this.activeMs >= this.minActiveMs) {
        // Loudest level, penalised (or boosted) by how much of the window was active.
        const weight = 20 * Math.log10(this.activeMs / this.cfg.updateIntervalMs);
        const linear = convertAudioLevel(this.loudest - weight);
        next = this.smoothed + (linear - this.smoothed) * this.smoothFactor;
      }
      this.reset(next);
    }
  }

  /** GetLevel: stale after 2 update intervals without packets. */
  level(now: number): { level: number; active: boolean } {
    if (now - this.lastObservedAt >= 2 * this.cfg.updateIntervalMs) this.reset(0);
    return { level: this.smoothed, active: this.smoothed >= this.activeThreshold };
  }

  private reset(smoothed: number): void {
    this.smoothed = smoothed;
    this.loudest = 127;
    this.activeMs = 0;
    this.observedMs = 0;
  }
}

export class LiveKitPolicy extends AnchorPolicy {
  readonly name = "livekit";
  private readonly levels = new Map<ParticipantId, LiveKitAudioLevel>();
  private readonly lastPacket = new Map<ParticipantId, number>();
  /** the last active-speaker list, loudest first (what clients receive) */
  speakers: Array<{ id: ParticipantId; level: number }> = [];

  constructor(
    phaseMs = 0,
    private readonly cfg: LiveKitConfig = LIVEKIT_DEFAULTS,
  ) {
    super(cfg.updateIntervalMs, phaseMs);
  }

  protected onPacket(id: ParticipantId, dbov: number, t: number): void {
    let al = this.levels.get(id);
    if (!al) {
      al = new LiveKitAudioLevel(this.cfg);
      this.levels.set(id, al);
    }
    // ObserveWithRTPTimestamp: a packet's duration is the RTP time since the previous one,
    // so after DTX or loss the next packet carries the whole gap.
    const prev = this.lastPacket.get(id);
    this.lastPacket.set(id, t);
    al.observe(dbov, prev === undefined ? 20 : Math.max(0, t - prev), t);
  }

  protected override onLeave(id: ParticipantId, t: number): void {
    this.levels.delete(id);
    this.lastPacket.delete(id);
    if (this.program === id) this.cut(t, null, "holder-left");
  }

  protected override tick(t: number): void {
    const list: Array<{ id: ParticipantId; level: number }> = [];
    for (const id of this.present) {
      const al = this.levels.get(id);
      if (!al) continue;
      const { level, active } = al.level(t);
      if (active) list.push({ id, level });
    }
    // Stable sort, loudest first, as GetActiveSpeakers does before quantising.
    list.sort((a, b) => b.level - a.level);
    this.speakers = list;
    const top = list[0];
    if (top) this.cut(t, top.id, "rule", { level: top.level });
  }
}
