/**
 * A scripted participant: a real @livekit/rtc-node client that publishes a
 * microphone track and plays WAV clips on cue, sending digital silence in between
 * (as a live, unmuted mic would). Used by the integration tests and the benchmark.
 */
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from "@livekit/rtc-node";

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

  private video: VideoSource | null = null;
  private videoTimer: NodeJS.Timeout | null = null;
  /** The camera track's sid once published (with `video: true`). */
  cameraSid: string | null = null;

  async join(url: string, token: string, { publish = true, video = false } = {}): Promise<void> {
    await this.room.connect(url, token, { autoSubscribe: false, dynacast: false });
    if (!publish) return;
    if (video) await this.publishCamera();
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

  /**
   * A 320×240 camera at 10 fps: a flat colour derived from the identity with a moving
   * bar, so each bot's picture is recognisable and its frames keep changing.
   */
  private async publishCamera(): Promise<void> {
    const w = 320;
    const h = 240;
    this.video = new VideoSource(w, h);
    const track = LocalVideoTrack.createVideoTrack("camera", this.video);
    const opts = new TrackPublishOptions();
    opts.source = TrackSource.SOURCE_CAMERA;
    const pub = await this.room.localParticipant!.publishTrack(track, opts);
    this.cameraSid = pub.sid ?? null;
    let hash = 0;
    for (const c of this.identity) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
    const [y, u, v] = [60 + (hash % 140), hash % 256, (hash >> 8) % 256];
    let frame = 0;
    const draw = () => {
      const buf = new Uint8Array(w * h * 1.5);
      buf.fill(y, 0, w * h);
      buf.fill(u, w * h, w * h * 1.25);
      buf.fill(v, w * h * 1.25);
      const bar = (frame * 8) % w;
      for (let row = 0; row < h; row++) buf.fill(235, row * w + bar, row * w + Math.min(w, bar + 16));
      frame++;
      this.video?.captureFrame(new VideoFrame(buf, w, h, VideoBufferType.I420));
    };
    draw();
    this.videoTimer = setInterval(draw, 100);
  }

  async leave(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.videoTimer) clearInterval(this.videoTimer);
    this.videoTimer = null;
    await this.room.disconnect();
    await this.source.close().catch(() => undefined);
    await this.video?.close().catch(() => undefined);
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
