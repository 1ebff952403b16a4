/**
 * Directs one room: meters every participant's microphone, drives the switch policy
 * on a 20 ms clock, and publishes each decision to the room's metadata.
 *
 * Why room metadata for the program: every client already receives it (viewer,
 * participants' full-screen mode, the egress layout), the server API reads it for all
 * rooms in one listRooms call (/status), and it outlives the director — when the
 * director restarts, screens keep the last program until it decides again.
 */
import {
  AudioStream,
  ConnectionQuality,
  RoomEvent,
  TrackKind,
  TrackSource,
  type Participant,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  type TrackPublication,
} from "@livekit/rtc-node";
import {
  ACTIVITY_MAX,
  ACTIVITY_TOPIC,
  ATTR_DEBUG,
  ATTR_HEARTBEAT,
  ATTR_LEVELS,
  ATTR_LOG,
  ATTR_QUALITY,
  ATTR_TREND,
  parseActivity,
  parsePin,
  TREND_BUCKET_MS,
  TREND_BUCKETS,
  withPin,
  type Activity,
  type DebugAttr,
  type LevelsAttr,
  type TrendAttr,
} from "@/lib/director-state";
import { parseProgram, withProgram, type ProgramState } from "@/lib/program";
import type { Decision, Observation, SwitchPolicy } from "@/lib/switching/types";
import { DecisionLog, LevelHistory } from "./history";
import { LevelMeter } from "./level-meter";
import { ProcessMeter } from "./process-meter";

export const FRAME_MS = 20;
const LEVELS_PUBLISH_MS = 250;
const DEBUG_PUBLISH_MS = 1000;
/** 20 ms frames per bucket of the 2-minute trend /friends draws. */
const FRAMES_PER_TREND_BUCKET = TREND_BUCKET_MS / FRAME_MS;
/** How long an unpublished mic waits for its participant's disconnect (see onMicGone). */
const MIC_GONE_GRACE_MS = 250;

type QualityName = "excellent" | "good" | "poor" | "lost" | "unknown";
const QUALITY_NAMES: Record<number, QualityName> = {
  [ConnectionQuality.QUALITY_EXCELLENT]: "excellent",
  [ConnectionQuality.QUALITY_GOOD]: "good",
  [ConnectionQuality.QUALITY_POOR]: "poor",
  [ConnectionQuality.QUALITY_LOST]: "lost",
};

export interface RoomDirectorDeps {
  policy: SwitchPolicy;
  /** Writes the room's metadata through the server API. */
  updateMetadata(room: string, metadata: string): Promise<void>;
  configForDebug: Record<string, number | string | boolean>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

interface Member {
  identity: string;
  name: string;
  meter: LevelMeter;
  history: LevelHistory;
  /** 2 minutes of the loudest level per 500 ms bucket, for /friends' sparklines */
  trend: LevelHistory;
  bucketMin: number;
  micLive: boolean;
  stream: ReadableStreamDefaultReader<{ data: Int16Array }> | null;
}

export class RoomDirector {
  private readonly members = new Map<string, Member>();
  private readonly micGoneTimers = new Map<string, NodeJS.Timeout>();
  private readonly pending: Observation[] = [];
  private readonly decisions = new DecisionLog(100);
  private readonly meter = new ProcessMeter();
  private state: ProgramState | null;
  private pinned: string | null = null;
  private pinAt = 0;
  private nextTickAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private publishing: Promise<void> = Promise.resolve();
  private lastLevelsJson = "";
  private lastLevelsAt = 0;
  private lastDebugAt = 0;
  private frameNo = 0;
  private readonly activity: Activity[] = [];
  private activityDirty = false;
  private readonly quality = new Map<string, QualityName>();
  private qualityDirty = false;
  private lagMs = 0;
  private lagMaxMs = 0;
  private framesDropped = 0;
  private stopped = false;
  private readonly startedAt = Date.now();
  private readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly room: Room,
    private readonly deps: RoomDirectorDeps,
  ) {
    this.state = parseProgram(room.metadata);
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  get roomName(): string {
    return this.room.name ?? "";
  }

  /** Start directing; resolves when the room is closed or the director leaves. */
  run(): Promise<void> {
    const r = this.room;
    r.on(RoomEvent.ParticipantConnected, (p) => this.addMember(p))
      .on(RoomEvent.ParticipantDisconnected, (p) => this.removeMember(p.identity))
      .on(RoomEvent.TrackSubscribed, (track, pub, p) => this.onTrackSubscribed(track, pub, p))
      .on(RoomEvent.TrackUnsubscribed, (_t, pub, p) => this.onMicGone(pub, p))
      .on(RoomEvent.TrackUnpublished, (pub, p) => this.onMicGone(pub, p))
      .on(RoomEvent.TrackMuted, (pub, p) => this.onMute(pub, p, true))
      .on(RoomEvent.TrackUnmuted, (pub, p) => this.onMute(pub, p, false))
      .on(RoomEvent.ActiveSpeakersChanged, (speakers) => this.onSpeakers(speakers))
      .on(RoomEvent.RoomMetadataChanged, (md) => this.onMetadata(md))
      .on(RoomEvent.ConnectionQualityChanged, (q, p) => this.onQuality(q, p))
      .on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => this.onData(payload, participant, topic))
      .on(RoomEvent.Disconnected, () => this.stop());

    for (const p of r.remoteParticipants.values()) {
      this.addMember(p);
      for (const pub of p.trackPublications.values()) {
        if (pub.track && pub.kind === TrackKind.KIND_AUDIO) this.onTrackSubscribed(pub.track as RemoteTrack, pub, p);
      }
    }
    this.onMetadata(r.metadata ?? "");
    this.nextTickAt = performance.now();
    this.schedule();
    this.deps.log("directing room", { room: this.roomName, participants: this.members.size, program: this.state?.program ?? null });
    // If the program on screen belongs to someone who left while no director ran, move on.
    if (this.state?.program && !this.members.has(this.state.program)) {
      this.pending.push({ type: "leave", t: this.nextTickAt, id: this.state.program });
    }
    return this.done;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.micGoneTimers.values()) clearTimeout(t);
    for (const m of this.members.values()) void m.stream?.cancel().catch(() => undefined);
    this.deps.log("room done", { room: this.roomName });
    this.resolveDone();
  }

  /** Non-hidden remote participants are the ones we direct (viewers and directors are hidden). */
  private addMember(p: RemoteParticipant): void {
    if (this.members.has(p.identity)) return;
    this.members.set(p.identity, {
      identity: p.identity,
      name: p.name || p.identity,
      meter: new LevelMeter(),
      history: new LevelHistory(),
      trend: new LevelHistory(TREND_BUCKETS),
      bucketMin: 127,
      micLive: false,
      stream: null,
    });
    this.pending.push({ type: "join", t: 0, id: p.identity, name: p.name || p.identity });
    this.pending.push({ type: "mute", t: 0, id: p.identity, muted: true });
  }

  private removeMember(identity: string): void {
    clearTimeout(this.micGoneTimers.get(identity));
    this.micGoneTimers.delete(identity);
    const m = this.members.get(identity);
    if (!m) return;
    void m.stream?.cancel().catch(() => undefined);
    this.members.delete(identity);
    if (this.quality.delete(identity)) this.qualityDirty = true;
    this.pending.push({ type: "leave", t: 0, id: identity });
  }

  private onTrackSubscribed(track: RemoteTrack, pub: RemoteTrackPublication, p: RemoteParticipant): void {
    if (pub.source !== TrackSource.SOURCE_MICROPHONE || track.kind !== TrackKind.KIND_AUDIO) return;
    this.addMember(p);
    const m = this.members.get(p.identity)!;
    void m.stream?.cancel().catch(() => undefined);
    // 48 kHz mono, 20 ms frames: the level is computed on what the SFU forwarded,
    // decoded, exactly as the lab computes it from its WAVs.
    const stream = new AudioStream(track, { sampleRate: 48000, numChannels: 1, frameSizeMs: FRAME_MS });
    const reader = stream.getReader();
    m.stream = reader;
    m.micLive = !(pub.muted ?? false);
    this.pending.push({ type: "mute", t: 0, id: p.identity, muted: pub.muted ?? false });
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done || this.stopped) break;
          if (m.micLive) m.meter.push(value.data);
        }
      } catch (err) {
        this.deps.log("audio stream ended", { identity: p.identity, error: String(err) });
      }
    })();
  }

  private onMicGone(pub: TrackPublication, p: RemoteParticipant): void {
    if (pub.source !== TrackSource.SOURCE_MICROPHONE) return;
    const m = this.members.get(p.identity);
    if (!m) return;
    void m.stream?.cancel().catch(() => undefined);
    m.stream = null;
    m.micLive = false;
    m.meter.clear();
    // A leaving participant's tracks are unpublished just before they disconnect.
    // Hold the "muted" report briefly so a leave is reported as a leave; the mic
    // already counts as silence meanwhile.
    const identity = p.identity;
    clearTimeout(this.micGoneTimers.get(identity));
    this.micGoneTimers.set(
      identity,
      setTimeout(() => {
        this.micGoneTimers.delete(identity);
        if (this.members.has(identity)) this.pending.push({ type: "mute", t: 0, id: identity, muted: true });
      }, MIC_GONE_GRACE_MS),
    );
  }

  private onMute(pub: TrackPublication, p: Participant, muted: boolean): void {
    if (pub.source !== TrackSource.SOURCE_MICROPHONE) return;
    const m = this.members.get(p.identity);
    if (!m) return;
    m.micLive = !muted;
    if (muted) m.meter.clear();
    this.pending.push({ type: "mute", t: 0, id: p.identity, muted });
  }

  private onSpeakers(speakers: Participant[]): void {
    const ids = speakers.map((s) => s.identity).filter((id) => this.members.has(id));
    this.pending.push({ type: "speakers", t: 0, ids });
  }

  private onMetadata(metadata: string): void {
    // An admin's read-modify-write of the metadata (a pin) may carry a program older
    // than ours if we decided in between: write ours back so no screen keeps a stale one.
    // Only an older program is repaired: a newer one is another director's (two can
    // overlap for a moment until dedupe), and fighting it would ping-pong writes.
    const pin = parsePin(metadata);
    const seq = parseProgram(metadata)?.seq ?? -1;
    // Likewise a write of ours from a copy that predates an admin's pin drops the pin:
    // write the newest pin we have seen back.
    if (this.state && (seq < this.state.seq || (seq === this.state.seq && this.pinAt > (pin?.at ?? 0)))) this.publishProgram();
    if (!pin || pin.at <= this.pinAt) return;
    this.pinAt = pin.at;
    if (pin.identity === this.pinned) return;
    const previous = this.pinned;
    this.pinned = pin.identity;
    this.pending.push({ type: "pin", t: 0, id: pin.identity });
    const who = pin.identity ?? previous;
    this.addActivity({
      at: pin.at,
      kind: pin.identity ? "pin" : "unpin",
      identity: who,
      name: who ? (this.members.get(who)?.name ?? null) : null,
      detail: "admin",
    });
  }

  /** Activity the app forwards (LiveKit webhooks, admin actions). Only the server may send it. */
  private onData(payload: Uint8Array, participant: Participant | undefined, topic: string | undefined): void {
    if (topic !== ACTIVITY_TOPIC || participant !== undefined) return;
    const a = parseActivity(payload);
    if (a) this.addActivity(a);
  }

  private onQuality(q: ConnectionQuality, p: Participant): void {
    if (!this.members.has(p.identity)) return;
    const name = QUALITY_NAMES[q] ?? "unknown";
    if (this.quality.get(p.identity) === name) return;
    this.quality.set(p.identity, name);
    this.qualityDirty = true;
  }

  private addActivity(a: Activity): void {
    this.activity.push(a);
    this.activity.sort((x, y) => x.at - y.at);
    if (this.activity.length > ACTIVITY_MAX) this.activity.splice(0, this.activity.length - ACTIVITY_MAX);
    this.activityDirty = true;
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = Math.max(0, this.nextTickAt - performance.now());
    this.timer = setTimeout(() => this.tick(), delay);
  }

  /** Run every 20 ms frame that is due; after a long stall, skip ahead instead of bursting. */
  private tick(): void {
    const now = performance.now();
    const lag = now - this.nextTickAt;
    this.lagMs = this.lagMs * 0.95 + Math.max(0, lag) * 0.05;
    this.lagMaxMs = Math.max(this.lagMaxMs * 0.999, lag);
    if (lag > 10 * FRAME_MS) {
      this.framesDropped += Math.floor(lag / FRAME_MS);
      this.nextTickAt = now;
    }
    while (this.nextTickAt <= now) {
      this.step(this.nextTickAt);
      this.nextTickAt += FRAME_MS;
    }
    this.publishAttributes();
    this.schedule();
  }

  private step(t: number): void {
    // Events that arrived since the last frame are applied at this frame's time, so
    // the policy sees one time-ordered stream.
    for (const obs of this.pending.splice(0)) this.apply(this.deps.policy.observe({ ...obs, t }), t);
    // A pin on whoever already holds the program changes no decision; still show it.
    if (this.state && this.state.pinned !== this.pinned) {
      this.state = { ...this.state, pinned: this.pinned, seq: this.state.seq + 1 };
      this.publishProgram();
    }
    const levels: Record<string, number> = {};
    const bucketDone = ++this.frameNo % FRAMES_PER_TREND_BUCKET === 0;
    for (const m of this.members.values()) {
      const level = m.micLive ? m.meter.take() : 127;
      m.history.push(level);
      m.bucketMin = Math.min(m.bucketMin, level);
      if (bucketDone) {
        m.trend.push(m.bucketMin);
        m.bucketMin = 127;
      }
      if (m.micLive) levels[m.identity] = level;
    }
    this.apply(this.deps.policy.observe({ type: "levels", t, levels }), t);
  }

  private apply(d: Decision | null, _t: number): void {
    if (!d) return;
    const seq = (this.state?.seq ?? 0) + 1;
    const at = Date.now();
    const state: ProgramState = {
      program: d.program,
      name: d.program ? (this.members.get(d.program)?.name ?? null) : null,
      since: at,
      reason: d.reason,
      seq,
      pinned: this.pinned,
    };
    // The policy drops a pin on someone who left; say so on every screen.
    if (d.pinCleared) state.pinned = this.pinned = null;
    this.state = state;
    this.decisions.add(d, at, seq);
    this.deps.log("decision", { room: this.roomName, program: d.program, previous: d.previous, reason: d.reason, seq });
    this.publishProgram();
  }

  /** Writes are chained and coalesced: only the newest state is ever written. */
  private publishProgram(): void {
    this.publishing = this.publishing.then(async () => {
      const state = this.state;
      if (!state || this.stopped) return;
      const current = this.room.metadata ?? "";
      // Our copy of the metadata may predate an admin's pin that we have already seen
      // (or may see later): always write the newest pin we know beside the program.
      const pinStale = this.pinAt > (parsePin(current)?.at ?? 0);
      if (parseProgram(current)?.seq === state.seq && !pinStale) return;
      let next = withProgram(current, state);
      if (pinStale) next = withPin(next, { identity: this.pinned, at: this.pinAt });
      try {
        await this.deps.updateMetadata(this.roomName, next);
      } catch (err) {
        this.deps.log("publishing the program failed", { room: this.roomName, error: String(err) });
      }
    });
  }

  private publishAttributes(): void {
    const now = Date.now();
    const lp = this.room.localParticipant;
    if (!lp || this.stopped) return;
    const attrs: Record<string, string> = {};
    if (now - this.lastLevelsAt >= LEVELS_PUBLISH_MS) {
      this.lastLevelsAt = now;
      const levels: LevelsAttr = {};
      for (const m of this.members.values()) {
        levels[m.identity] = [m.micLive ? m.meter.last : 127, m.micLive && this.deps.policy.speaking(m.identity) ? 1 : 0];
      }
      const json = JSON.stringify(levels);
      if (json !== this.lastLevelsJson) {
        this.lastLevelsJson = json;
        attrs[ATTR_LEVELS] = json;
      }
    }
    if (this.qualityDirty) {
      this.qualityDirty = false;
      const q: Record<string, QualityName> = {};
      for (const [id, name] of this.quality) if (this.members.has(id)) q[id] = name;
      attrs[ATTR_QUALITY] = JSON.stringify(q);
    }
    if (this.activityDirty) {
      this.activityDirty = false;
      attrs[ATTR_LOG] = JSON.stringify(this.activity);
    }
    if (now - this.lastDebugAt >= DEBUG_PUBLISH_MS) {
      this.lastDebugAt = now;
      attrs[ATTR_HEARTBEAT] = String(now);
      attrs[ATTR_DEBUG] = JSON.stringify(this.debugRecord(now));
      const trend: TrendAttr = { at: now, levels: {} };
      for (const m of this.members.values()) trend.levels[m.identity] = m.trend.toBase64();
      attrs[ATTR_TREND] = JSON.stringify(trend);
    }
    if (Object.keys(attrs).length > 0) {
      lp.setAttributes(attrs).catch((err: unknown) => this.deps.log("setAttributes failed", { error: String(err) }));
    }
  }

  private debugRecord(now: number): DebugAttr {
    const usage = this.meter.sample();
    const participants: DebugAttr["participants"] = {};
    for (const m of this.members.values()) {
      participants[m.identity] = { name: m.name, muted: !m.micLive, levels: m.history.toBase64() };
    }
    let dropped = this.framesDropped;
    for (const m of this.members.values()) dropped += m.meter.dropped;
    return {
      v: 1,
      at: now,
      room: this.roomName,
      director: this.room.localParticipant?.identity ?? "",
      policy: this.deps.policy.name,
      config: this.deps.configForDebug,
      participants,
      decisions: this.decisions.list().map((d) => ({ ...d, evidence: { ...d.evidence } })),
      health: {
        pid: process.pid,
        startedAt: this.startedAt,
        cpuPercent: usage.cpuPercent,
        rssMb: usage.rssMb,
        eventLagMs: Math.round(this.lagMs * 10) / 10,
        eventLagMaxMs: Math.round(this.lagMaxMs * 10) / 10,
        framesDropped: dropped,
        participants: this.members.size,
      },
    };
  }
}
