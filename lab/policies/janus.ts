/**
 * Janus VideoRoom talk detection, re-implemented from meetecho/janus-gateway
 * src/plugins/janus_videoroom.c (audio_active_packets 100, audio_level_average 25): per
 * publisher, every 100 packets with an audio level, the mean dBov of that block decides
 * talking (< 25) or not, and a "talking"/"stopped-talking" event fires on change.
 *
 * Janus has no program; the common client rule is used: cut to whoever starts talking; when
 * the program stops talking, cut to the most recent starter still talking, else stay.
 */
import type { ParticipantId } from "@/lib/switching/types";
import { AnchorPolicy } from "./common";

export interface JanusConfig {
  audioActivePackets: number;
  audioLevelAverage: number;
}
export const JANUS_DEFAULTS: JanusConfig = { audioActivePackets: 100, audioLevelAverage: 25 };

export class JanusPolicy extends AnchorPolicy {
  readonly name = "janus";
  private readonly state = new Map<ParticipantId, { sum: number; packets: number; talking: boolean; since: number }>();

  constructor(private readonly cfg: JanusConfig = JANUS_DEFAULTS) {
    super(0, 0);
  }

  protected onPacket(id: ParticipantId, dbov: number, t: number): void {
    let s = this.state.get(id);
    if (!s) {
      s = { sum: 0, packets: 0, talking: false, since: 0 };
      this.state.set(id, s);
    }
    s.sum += dbov;
    s.packets++;
    if (s.packets < this.cfg.audioActivePackets) return;
    const avg = s.sum / s.packets;
    s.sum = 0;
    s.packets = 0;
    const talking = avg < this.cfg.audioLevelAverage;
    if (talking === s.talking) return;
    s.talking = talking;
    if (talking) {
      s.since = t;
      this.cut(t, id, "rule", { avg });
    } else if (this.program === id) {
      this.fallBack(t, id);
    }
  }

  private fallBack(t: number, except: ParticipantId): void {
    let best: { id: ParticipantId; since: number } | null = null;
    for (const [id, s] of this.state) {
      if (id !== except && s.talking && (!best || s.since > best.since)) best = { id, since: s.since };
    }
    if (best) this.cut(t, best.id, "rule");
  }

  protected override onMute(id: ParticipantId, muted: boolean, t: number): void {
    // A muted stream is skipped by talk detection; its state is whatever it was.
    if (muted && this.program === id) this.fallBack(t, id);
  }

  protected override onLeave(id: ParticipantId, t: number): void {
    this.state.delete(id);
    if (this.program === id) this.cut(t, null, "holder-left");
  }
}
