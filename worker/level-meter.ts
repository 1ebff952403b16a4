/**
 * Per-participant 20 ms levels, with a small jitter buffer.
 *
 * Audio frames arrive from each participant's AudioStream on their own schedule;
 * the policy wants one `levels` frame per 20 ms holding everyone. Each meter queues
 * the levels its stream produced and the director's clock takes one per tick, so
 * delivery jitter doesn't show up as silence, and a stalled stream (muted,
 * unpublished, network loss) does: an empty queue is silence.
 */
import { DBOV_SILENCE, dbovFromInt16 } from "@/lib/switching/level";

/**
 * Two frames of slack absorb delivery jitter. Every queued frame is 20 ms of added
 * latency for as long as it stays queued, so more would only delay decisions.
 */
const SLACK = 2;

export class LevelMeter {
  private readonly queue: number[] = [];
  private readonly maxQueued: number;

  /**
   * @param chunk samples per 20 ms level: a pushed frame of several chunks (the director
   *   decodes 40 ms frames, half the events of 20 ms ones) yields one level per chunk.
   *   0: one level per push.
   * @param levelsPerPush levels one push brings, so the slack is on top of a whole frame
   */
  constructor(
    private readonly chunk = 0,
    levelsPerPush = 1,
  ) {
    this.maxQueued = SLACK + levelsPerPush - 1;
  }

  /** The last level handed to the policy (for /status and the live meters). */
  last = DBOV_SILENCE;
  /** Frames dropped because the queue overflowed (a slow director, for /debug). */
  dropped = 0;

  /** Feed a decoded frame of int16 PCM (20 ms, or whole 20 ms chunks). */
  /** Returns how many 20 ms levels it queued (the newest at the end of `recent`). */
  push(samples: Int16Array): number {
    let n = 0;
    if (this.chunk <= 0 || samples.length <= this.chunk) {
      this.queue.push((this.recent[n++] = dbovFromInt16(samples)));
    } else {
      for (let i = 0; i + this.chunk <= samples.length; i += this.chunk) this.queue.push((this.recent[n++] = dbovFromInt16(samples.subarray(i, i + this.chunk))));
    }
    while (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    return n;
  }

  /** The levels the last push() computed, oldest first (only the first push() result count are valid). */
  readonly recent: number[] = [];

  /** The level for this tick: the oldest queued frame, or silence when none came. */
  take(): number {
    const level = this.queue.shift();
    this.last = level ?? DBOV_SILENCE;
    return this.last;
  }

  clear(): void {
    this.queue.length = 0;
    this.last = DBOV_SILENCE;
  }
}
