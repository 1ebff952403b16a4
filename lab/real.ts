/**
 * Real-pipeline mode: `npm run lab -- --real --scenarios DIR`.
 *
 * Replays each scenario through the real stack and scores the real director with the
 * lab's metrics: livekit-server and the director (worker/main.ts, a black box) start on
 * free ports; one rtc-node client per participant publishes that participant's generated
 * WAV as a microphone (Opus over loopback WebRTC), all started together; a watcher reads
 * the director's decisions from the room metadata (`director.program`, `since` is the
 * director's wall-clock time of the decision). The cuts, on the scenario's clock, go
 * through the same evaluate() as the simulated runs.
 *
 * Not replayed: `action` events (mute/leave/join need a scripted client, not a WAV) and
 * the `network` impairments (loopback has no loss or jitter). Scenarios with actions are
 * skipped with a note; network impairments are reported as a known gap.
 */
import { join } from "node:path";
import { AudioFrame, AudioSource, AudioStream, LocalAudioTrack, type RemoteTrack, Room, RoomEvent, TrackKind, TrackPublishOptions, TrackSource } from "@livekit/rtc-node";
import { Decimate3 } from "@/lib/speech";
import { dbovFromInt16 } from "@/lib/switching/level";
import { RoomServiceClient } from "livekit-server-sdk";
import { parseProgram } from "@/lib/room-state";
import { botToken, type Keys } from "@/tests/helpers/tokens";
import type { Generated } from "./lab";
import { type Cut, type RunRecord, evaluate } from "./metrics";
import { familyOf } from "./scenario";
import { readWav16 } from "./speech-track";
import { to16kInt16 } from "./transport";

export const REAL_POLICY = "director (real)";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RealStack {
  livekitUrl: string;
  keys: Keys;
  stop(): Promise<void>;
}

/** livekit-server and the director only (the app is not needed to direct). */
export async function startRealStack(logDir: string): Promise<RealStack> {
  const bootstrap = (await import("../scripts/lib/bootstrap.mjs")) as unknown as { ensureLivekitServer(): Promise<string>; CACHE: string };
  const stackLib = (await import("../scripts/lib/stack.mjs")) as unknown as {
    freeTcpPort(): Promise<number>;
    freeUdpPort(): Promise<number>;
    resolveKeys(env?: Record<string, string | undefined>): { key: string; secret: string };
    livekitConfig(o: { ports: Record<string, number>; keys: Keys; webhookUrl: string }): Promise<string>;
    spawnService(name: string, cmd: string, args: string[], o: { env: Record<string, string | undefined>; logFile: string; quiet: boolean }): import("node:child_process").ChildProcess;
    startDirector(o: { env: Record<string, string | undefined>; ports: Record<string, number>; logDir: string; quiet?: boolean }): import("node:child_process").ChildProcess;
    stopService(c: import("node:child_process").ChildProcess, graceMs?: number): Promise<void>;
  };
  const { mkdirSync, writeFileSync } = await import("node:fs");
  mkdirSync(logDir, { recursive: true });
  const livekitBin = await bootstrap.ensureLivekitServer();
  const ports = { app: await stackLib.freeTcpPort(), http: await stackLib.freeTcpPort(), tcp: await stackLib.freeTcpPort(), udp: await stackLib.freeUdpPort(), director: await stackLib.freeTcpPort() };
  const keys = stackLib.resolveKeys(process.env);
  // Nothing listens on the app port: livekit's webhooks to it fail quietly, which the director does not need.
  const config = await stackLib.livekitConfig({ ports, keys, webhookUrl: `http://127.0.0.1:${ports.app}/api/webhooks/livekit` });
  const configPath = join(logDir, `livekit-${ports.http}.yaml`);
  writeFileSync(configPath, config);
  const children: Array<import("node:child_process").ChildProcess> = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.splice(0).reverse().map((c) => stackLib.stopService(c)));
  };
  process.once("exit", () => {
    for (const c of children) {
      try {
        if (c.pid) process.kill(-c.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  });
  const livekit = stackLib.spawnService("livekit", livekitBin, ["--config", configPath, "--node-ip", "127.0.0.1"], {
    env: { ...process.env, LIVEKIT_KEYS: `${keys.key}: ${keys.secret}` },
    logFile: join(logDir, "livekit.log"),
    quiet: true,
  });
  children.push(livekit);
  const livekitUrl = `ws://127.0.0.1:${ports.http}`;
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${ports.http}/`)).ok, 20_000, "livekit-server");
  const env = { ...process.env, LIVEKIT_URL: livekitUrl, LIVEKIT_API_KEY: keys.key, LIVEKIT_API_SECRET: keys.secret };
  const director = stackLib.startDirector({ env, ports, logDir, quiet: true });
  children.push(director);
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${ports.director}/`)).ok, 120_000, "the director"); // slow to start on a busy 2-core host
  return { livekitUrl, keys, stop };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what} was not ready within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface RealRun {
  record: RunRecord;
  cuts: Cut[];
  /** max − min of the bots' first-frame times: how well the participants were aligned */
  startSpreadMs: number;
  /**
   * Transport delay measured beside the director: the watcher decodes the first
   * participant's mic as the director does (16 kHz, 40 ms frames) and times each onset's
   * arrival against the end of the frame that carried it at the sender (median, ms), and
   * the onsets it was measured on.
   */
  transportMs: number | null;
  transportOnsets: number;
}

/** Whether a scenario can be replayed by WAV-playing bots. */
export function replayable(g: Generated): string | null {
  if (g.gen.truth.actions.length > 0) return "has mute/leave/join actions (bots play WAVs only)";
  return null;
}

const RATE = 48_000;
const FRAME = 960; // 20 ms
/** rtc-node's send queue. */
const QUEUE_MS = 100;

/**
 * One participant's microphone playing a WAV in real time, paced on the wall clock (see
 * run()). Before the
 * scenario starts it plays the WAV's own room tone (its first 100 ms, looped), so the
 * director's noise floor is set as in the simulation rather than jumping from digital
 * silence to the room at the start.
 */
class WavPlayer {
  readonly room = new Room();
  private readonly source = new AudioSource(RATE, 1, QUEUE_MS);
  private pcm: Int16Array | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  /** epoch ms when the WAV's first frame was accepted for sending */
  firstAt = 0;
  private onFirst: (() => void) | null = null;
  private onDone: (() => void) | null = null;

  constructor(readonly identity: string, private readonly tone: Int16Array) {}

  async join(url: string, token: string): Promise<void> {
    await this.room.connect(url, token, { autoSubscribe: false, dynacast: false });
    const track = LocalAudioTrack.createAudioTrack("microphone", this.source);
    const opts = new TrackPublishOptions();
    opts.source = TrackSource.SOURCE_MICROPHONE;
    await this.room.localParticipant!.publishTrack(track, opts);
    this.loop = this.run();
  }

  /** Switch from room tone to the WAV at the next frame; resolves when its first frame is queued. */
  play(pcm: Int16Array): { started: Promise<void>; done: Promise<void> } {
    const started = new Promise<void>((r) => (this.onFirst = r));
    const done = new Promise<void>((r) => (this.onDone = r));
    this.pcm = pcm;
    return { started, done };
  }

  /**
   * Frame k of the stream leaves at start + 20·k ms of wall time: rtc-node's captureFrame
   * does not pace (it returns at once and its queue absorbs bursts), so pacing on our own
   * clock is what keeps the replay on the scenario's timeline. A late timer sends the
   * frames it owes at once (never drops them), so the stream stays on schedule.
   */
  private async run(): Promise<void> {
    const start = Date.now();
    let k = 0;
    let toneAt = 0;
    let wavK = -1;
    while (!this.stopped) {
      const due = Math.floor((Date.now() - start) / 20);
      for (; k <= due && !this.stopped; k++) {
        const pcm = this.pcm;
        const f = new Int16Array(FRAME);
        if (pcm) {
          if (wavK < 0) {
            wavK = 0;
            this.firstAt = start + k * 20;
          }
          f.set(pcm.subarray(wavK * FRAME, Math.min(pcm.length, (wavK + 1) * FRAME)));
          wavK++;
          if (wavK * FRAME >= pcm.length) {
            this.pcm = null;
            wavK = -1;
            this.onDone?.();
          } else if (wavK === 1) this.onFirst?.();
        } else {
          for (let i = 0; i < FRAME; i++) f[i] = this.tone[(toneAt + i) % this.tone.length] ?? 0;
          toneAt = (toneAt + FRAME) % this.tone.length;
        }
        void this.source.captureFrame(new AudioFrame(f, RATE, 1, FRAME)).catch(() => undefined);
      }
      await sleep(Math.max(1, start + k * 20 - Date.now()));
    }
  }

  async leave(): Promise<void> {
    this.stopped = true;
    await this.loop?.catch(() => undefined);
    await this.room.disconnect().catch(() => undefined);
    await this.source.close().catch(() => undefined);
  }
}

/** One scenario through the real stack; `room` is a channel room the director directs. */
export async function runReal(stack: RealStack, g: Generated, room: string): Promise<RealRun> {
  const { gen, loaded } = g;
  const ids = gen.trace.participants;
  const identity = (id: string): string => `p_lab_${id}`;
  const byIdentity = new Map(ids.map((id) => [identity(id), id]));
  const pcm = ids.map((id) => readWav16(join(gen.dir, `${id}.wav`)).pcm);
  const bots = ids.map((id, i) => new WavPlayer(identity(id), (pcm[i] ?? new Int16Array(FRAME)).slice(0, 4800)));
  const watcher = new Room();
  const api = new RoomServiceClient(stack.livekitUrl.replace(/^ws/, "http"), stack.keys.key, stack.keys.secret);
  const decisions: Array<{ since: number; program: string | null; seq: number }> = [];
  try {
    await watcher.connect(stack.livekitUrl, await botToken(stack.keys, room, "v_lab", { role: "viewer" }), { autoSubscribe: false, dynacast: false });
    watcher.on(RoomEvent.RoomMetadataChanged, (md: string) => {
      const p = parseProgram(md);
      if (p && !decisions.some((d) => d.seq === p.seq)) decisions.push({ since: p.since, program: p.program, seq: p.seq });
    });
    for (const b of bots) await b.join(stack.livekitUrl, await botToken(stack.keys, room, b.identity, { name: b.identity }));
    const probe = probeTransport(watcher, bots[0]?.identity ?? "");
    // The director joins on dispatch and subscribes; wait until it is in, then let streams settle.
    await waitUntil(async () => (await api.listParticipants(room)).some((p) => p.identity.startsWith("director")), 30_000, "the director in the room");
    await sleep(3000); // room tone: floors settle, as in the simulation's first seconds
    // Every player switches from room tone to its WAV at its next frame.
    const plays = bots.map((b, i) => b.play(pcm[i] ?? new Int16Array(0)));
    await Promise.all(plays.map((p) => p.started));
    const starts = bots.map((b) => b.firstAt);
    // The scheduled wall time of each player's first WAV frame; they differ by their tick phase.
    const t0 = starts.reduce((a, b) => a + b, 0) / starts.length;
    await Promise.all(plays.map((p) => p.done));
    await sleep(1500); // decisions still in flight
    const cuts: Cut[] = [];
    let cur: string | null = null;
    for (const d of [...decisions].sort((a, b) => a.seq - b.seq)) {
      const to = d.program === null ? null : (byIdentity.get(d.program) ?? null);
      if (to === cur) continue;
      cuts.push({ t: Math.max(0, d.since - t0), to, from: cur });
      cur = to;
    }
    probe.stop();
    const firstPcm = pcm[0] ?? new Int16Array(0);
    const { median: transportMs, n: transportOnsets } = probe.delay(firstPcm, bots[0]?.firstAt ?? t0);
    const s = loaded.scenario;
    const record = evaluate(gen.truth, cuts, { scenario: gen.name, family: familyOf(s), split: s.split, policy: REAL_POLICY, run: 0 });
    return { record, cuts, startSpreadMs: Math.max(...starts) - Math.min(...starts), transportMs, transportOnsets };
  } finally {
    await Promise.all(bots.map((b) => b.leave().catch(() => undefined)));
    await watcher.disconnect().catch(() => undefined);
    await api.deleteRoom(room).catch(() => undefined);
  }
}

/** 20 ms levels at 16 kHz, as the director meters them. */
function levels16(pcm48: Int16Array): number[] {
  const dec = new Decimate3();
  const out: number[] = [];
  for (let f = 0; (f + 1) * FRAME <= pcm48.length; f++) out.push(dbovFromInt16(to16kInt16(dec, pcm48.subarray(f * FRAME, (f + 1) * FRAME))));
  return out;
}

/** An onset: a frame at least ONSET_DBOV loud after QUIET_FRAMES frames quieter than QUIET_DBOV. */
const ONSET_DBOV = 45;
const QUIET_DBOV = 60;
const QUIET_FRAMES = 10;

function onsets(levels: readonly number[]): number[] {
  const out: number[] = [];
  let quiet = 0;
  for (let k = 0; k < levels.length; k++) {
    const v = levels[k] ?? 127;
    if (v <= ONSET_DBOV && quiet >= QUIET_FRAMES) out.push(k);
    quiet = v > QUIET_DBOV ? quiet + 1 : 0;
  }
  return out;
}

/**
 * Subscribes the watcher to one bot's mic and decodes it exactly as the director does
 * (worker/room-input.ts: AudioStream at 16 kHz, 40 ms frames), recording when each 20 ms
 * level arrived. delay() matches the onsets of what was sent with those received.
 */
function probeTransport(watcher: Room, identity: string): { stop(): void; delay(sent48: Int16Array, firstAt: number): { median: number | null; n: number } } {
  const got: Array<{ at: number; dbov: number }> = [];
  let reader: ReadableStreamDefaultReader<{ data: Int16Array }> | null = null;
  const onTrack = (track: RemoteTrack, _pub: unknown, p: { identity: string }): void => {
    if (p.identity !== identity || track.kind !== TrackKind.KIND_AUDIO || reader) return;
    reader = new AudioStream(track, { sampleRate: 16_000, numChannels: 1, frameSizeMs: 40 }).getReader();
    const r = reader;
    void (async () => {
      for (;;) {
        const { done, value } = await r.read().catch(() => ({ done: true, value: undefined }));
        if (done || !value) return;
        const at = Date.now();
        const half = value.data.length / 2;
        got.push({ at, dbov: dbovFromInt16(value.data.subarray(0, half)) }, { at, dbov: dbovFromInt16(value.data.subarray(half)) });
      }
    })();
  };
  const onPublished = (pub: { kind?: TrackKind; setSubscribed(s: boolean): void }, p: { identity: string }): void => {
    if (p.identity === identity && pub.kind === TrackKind.KIND_AUDIO) pub.setSubscribed(true);
  };
  watcher.on(RoomEvent.TrackSubscribed, onTrack);
  watcher.on(RoomEvent.TrackPublished, onPublished);
  for (const p of watcher.remoteParticipants.values()) for (const pub of p.trackPublications.values()) onPublished(pub, p);
  return {
    stop: () => {
      watcher.off(RoomEvent.TrackSubscribed, onTrack);
      watcher.off(RoomEvent.TrackPublished, onPublished);
      void (reader as ReadableStreamDefaultReader<unknown> | null)?.cancel().catch(() => undefined);
    },
    delay: (sent48, firstAt) => {
      const sent = levels16(sent48);
      const ds: number[] = [];
      for (const k of onsets(sent)) {
        const sentEnd = firstAt + (k + 1) * 20;
        // The first loud level that arrived after the sender finished that frame (and not
        // more than a second later: otherwise it is another sound).
        // (itself an onset, so the tail of an earlier sound that arrived late is not it).
        const i = got.findIndex((g, j) => g.at >= sentEnd && g.dbov <= ONSET_DBOV + 6 && got.slice(Math.max(0, j - 5), j).every((q) => q.dbov > QUIET_DBOV - 5));
        const hit = got[i];
        if (hit && hit.at - sentEnd < 1000) ds.push(hit.at - sentEnd);
      }
      ds.sort((a, b) => a - b);
      return { median: ds.length ? (ds[Math.floor(ds.length / 2)] ?? null) : null, n: ds.length };
    },
  };
}
