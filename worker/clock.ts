/**
 * One drift-free 20 ms frame clock for every room the process directs. Pure: the host
 * gives it the time and a timer; tests give it a fake time and step it by hand.
 *
 * One clock for all rooms (not a timer per room) keeps the cost of time constant as
 * rooms are added, and every room's frame `t` comes from the same schedule.
 */
import { FRAME_MS } from "./core";

/** After a stall this long, skip ahead instead of running a burst of stale frames. */
const MAX_CATCH_UP_FRAMES = 10;

export class FrameClock {
  private next: number;
  /** frames skipped after stalls (for /debug) */
  dropped = 0;
  /** smoothed and peak lateness of ticks, ms (event-loop health for /debug) */
  lagMs = 0;
  lagMaxMs = 0;

  constructor(start: number) {
    this.next = start;
  }

  /** ms from `now` until the next frame is due (0 when one is due already). */
  delay(now: number): number {
    return Math.max(0, this.next - now);
  }

  /** The frame times due at `now`, oldest first; advances the clock past them. */
  due(now: number): number[] {
    const lag = now - this.next;
    if (lag < 0) return [];
    this.lagMs = this.lagMs * 0.95 + lag * 0.05;
    this.lagMaxMs = Math.max(this.lagMaxMs * 0.999, lag);
    if (lag > MAX_CATCH_UP_FRAMES * FRAME_MS) {
      this.dropped += Math.floor(lag / FRAME_MS);
      this.next = now;
    }
    const out: number[] = [];
    while (this.next <= now) {
      out.push(this.next);
      this.next += FRAME_MS;
    }
    return out;
  }
}
