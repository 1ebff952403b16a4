/**
 * mediasoup's AudioLevelObserver, re-implemented from versatica/mediasoup
 * worker/src/RTC/AudioLevelObserver.cpp with maxEntries 1, threshold -80, interval 800 ms.
 * Every interval: per producer, the arithmetic mean of the packets' dBov (producers with
 * fewer than 10 packets are skipped), negated and rounded; those >= threshold are ranked
 * loudest first and the top one is emitted in "volumes". When none qualify it emits
 * "silence" and the program stays (the app keeps showing the last speaker).
 */
import type { ParticipantId } from "@/lib/switching/types";
import { AnchorPolicy } from "./common";

export interface AloConfig {
  maxEntries: number;
  threshold: number;
  intervalMs: number;
}
export const ALO_DEFAULTS: AloConfig = { maxEntries: 1, threshold: -80, intervalMs: 800 };

export class MediasoupAloPolicy extends AnchorPolicy {
  readonly name = "mediasoup-alo";
  private readonly sums = new Map<ParticipantId, { totalSum: number; count: number }>();
  volumes: Array<{ id: ParticipantId; volume: number }> = [];

  constructor(
    phaseMs = 0,
    private readonly cfg: AloConfig = ALO_DEFAULTS,
  ) {
    // The worker clamps the interval to 250..5000 ms.
    super(Math.min(5000, Math.max(250, cfg.intervalMs)), phaseMs);
  }

  protected onPacket(id: ParticipantId, dbov: number): void {
    let s = this.sums.get(id);
    if (!s) {
      s = { totalSum: 0, count: 0 };
      this.sums.set(id, s);
    }
    s.totalSum += dbov;
    s.count++;
  }

  protected override onMute(id: ParticipantId, muted: boolean): void {
    // ProducerPaused removes the producer from the map; ProducerResumed re-inserts it empty.
    if (muted) this.sums.delete(id);
    else this.sums.set(id, { totalSum: 0, count: 0 });
  }

  protected override onLeave(id: ParticipantId, t: number): void {
    this.sums.delete(id);
    if (this.program === id) this.cut(t, null, "holder-left");
  }

  protected override tick(t: number): void {
    const ranked: Array<{ id: ParticipantId; volume: number }> = [];
    for (const [id, s] of this.sums) {
      if (s.count < 10) continue;
      const volume = -Math.round(s.totalSum / s.count);
      if (volume >= this.cfg.threshold) ranked.push({ id, volume });
    }
    for (const s of this.sums.values()) {
      s.totalSum = 0;
      s.count = 0;
    }
    // btree_multimap iterated from the back: highest volume first; among equals the one
    // inserted last comes first.
    ranked.reverse().sort((a, b) => b.volume - a.volume);
    this.volumes = ranked.slice(0, this.cfg.maxEntries);
    const top = this.volumes[0];
    if (top) this.cut(t, top.id, "rule", { volume: top.volume });
  }
}
