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
const MAX_QUEUED = 2;

export class LevelMeter {
  private readonly queue: number[] = [];
  /** The last level handed to the policy (for /status and the live meters). */
  last = DBOV_SILENCE;
  /** Frames dropped because the queue overflowed (a slow director, for /debug). */
  dropped = 0;

  /** Feed a decoded 20 ms frame of int16 PCM. */
  push(samples: Int16Array): void {
    this.queue.push(dbovFromInt16(samples));
    if (this.queue.length > MAX_QUEUED) {
      this.queue.shift();
      this.dropped++;
    }
  }

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
