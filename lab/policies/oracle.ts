/**
 * The ground truth, delayed: cuts to each new floor holder exactly `delayMs` after the
 * acoustic onset. It calibrates the metrics: oracle+0 must score perfectly, and oracle+D
 * shows what a pure D ms delay costs in time accuracy.
 */
import type { ParticipantId } from "@/lib/switching/types";
import type { FloorSegment } from "../trace";
import { AnchorPolicy } from "./common";

export class OraclePolicy extends AnchorPolicy {
  readonly name: string;
  private readonly cues: Array<{ t: number; who: ParticipantId }>;
  private next = 0;

  constructor(floor: readonly FloorSegment[], delayMs: number) {
    super(0, 0);
    this.name = `oracle+${delayMs}`;
    this.cues = floor.filter((s) => s.who !== null).map((s) => ({ t: s.from + delayMs, who: s.who as ParticipantId }));
  }

  protected onPacket(): void {}

  protected override onFrame(t: number): void {
    while (this.next < this.cues.length && (this.cues[this.next]?.t ?? Infinity) <= t) {
      const cue = this.cues[this.next];
      if (cue) this.cut(cue.t, cue.who, "rule");
      this.next++;
    }
  }
}
