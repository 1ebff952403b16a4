/**
 * A scripted participant: a real @livekit/rtc-node client that publishes a
 * microphone track and plays WAV clips on cue, sending digital silence in between
 * (as a live, unmuted mic would). Used by the integration tests and the benchmark.
 */
import { AudioFrame, AudioSource, LocalAudioTrack, Room, RoomEvent, TrackPublishOptions, TrackSource } from "@livekit/rtc-node";

const RATE = 48000;
const FRAME = 960; // 20 ms

export class Bot {
  readonly room = new Room();
  private source = new AudioSource(RATE, 1, 200);
  private queue: Int16Array[] = [];
  private playing = false;
  private timer: NodeJS.Timeout | null = null;
  private nextAt = 0;
  /** performance.now() when the first non-silent frame of the current clip was sent */
  lastOnset = 0;
  private onsetResolvers: ((t: number) => void)[] = [];
  track: LocalAudioTrack | null = null;

  constructor(readonly identity: string) {}

  async join(url: string, token: string, { publish = true } = {}): Promise<void> {
    await this.room.connect(url, token, { autoSubscribe: false, dynacast: false });
    if (!publish) return;
    this.track = LocalAudioTrack.createAudioTrack("microphone", this.source);
    const opts = new TrackPublishOptions();
    opts.source = TrackSource.SOURCE_MICROPHONE;
    await this.room.localParticipant!.publishTrack(this.track, opts);
    this.nextAt = performance.now();
    this.pump();
  }

  /** Queue a clip; resolves with the time its first frame was handed to the source. */
  say(samples: Int16Array): Promise<number> {
    for (let i = 0; i < samples.length; i += FRAME) {
      const f = new Int16Array(FRAME);
      f.set(samples.subarray(i, Math.min(i + FRAME, samples.length)));
      this.queue.push(f);
    }
    return new Promise((resolve) => this.onsetResolvers.push(resolve));
  }

  /** True while a clip is still queued or playing. */
  get busy(): boolean {
    return this.queue.length > 0;
  }

  /** Resolves once everything queued has been sent. */
  async drained(): Promise<void> {
    while (this.queue.length > 0) await new Promise((r) => setTimeout(r, 20));
  }

  private pump(): void {
    const now = performance.now();
    // Real-time pacing on our own clock: one 20 ms frame per 20 ms of wall time.
    while (this.nextAt <= now) {
      const clip = this.queue.shift();
      if (clip && !this.playing) {
        this.playing = true;
        this.lastOnset = performance.now();
        this.onsetResolvers.shift()?.(this.lastOnset);
      }
      if (!clip) this.playing = false;
      const data = clip ?? new Int16Array(FRAME);
      void this.source.captureFrame(new AudioFrame(data, RATE, 1, FRAME)).catch(() => undefined);
      this.nextAt += 20;
    }
    this.timer = setTimeout(() => this.pump(), Math.max(0, this.nextAt - performance.now()));
  }

  /** Stop publishing the microphone (rtc-node 0.13 has no track mute; unpublish is the same to the director). */
  async unpublishMic(): Promise<void> {
    const pub = [...this.room.localParticipant!.trackPublications.values()].find(
      (p) => p.source === TrackSource.SOURCE_MICROPHONE,
    );
    if (!pub?.sid) throw new Error("no microphone published");
    await this.room.localParticipant!.unpublishTrack(pub.sid);
  }

  async leave(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.room.disconnect();
    await this.source.close().catch(() => undefined);
  }

  /** Wait for a room event matching a predicate. */
  waitFor<E extends RoomEvent>(event: E, pred: (...args: never[]) => boolean, timeoutMs = 10000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.room.off(event, handler as never);
        reject(new Error(`timed out waiting for ${event}`));
      }, timeoutMs);
      const handler = (...args: never[]) => {
        if (pred(...args)) {
          clearTimeout(timer);
          this.room.off(event, handler as never);
          resolve();
        }
      };
      this.room.on(event, handler as never);
    });
  }
}
