/**
 * The room input: turns one LiveKit room (rtc-node) into what the core observes.
 * Membership, mutes, speaker hints, pins (room metadata), activity (server data
 * messages) and connection quality become calls on the core; every participant's
 * microphone is decoded and metered into 20 ms levels that the clock takes per frame.
 */
import {
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
import { ACTIVITY_TOPIC, ADMIN_INPUT_TOPIC, isDirectorIdentity, isPerson, parseActivity } from "@/lib/room-state";
import type { SpeechStage } from "@/lib/speech";
import type { ParticipantId } from "@/lib/switching/types";
import { tapAudio, type AudioTap } from "./audio-tap";
import { FRAME_MS, type QualityName, type RoomCore } from "./core";
import { LevelMeter } from "./level-meter";

/** The rate microphones are decoded at for metering (and the voice model). */
export const METER_RATE = 16_000;
/** Decoded frames per participant are this long (see onTrackSubscribed). */
const STREAM_FRAME_MS = 2 * FRAME_MS;
const newMeter = () => new LevelMeter((METER_RATE * FRAME_MS) / 1000, STREAM_FRAME_MS / FRAME_MS);
/** How long an unpublished mic waits for its participant's disconnect (see onMicGone). */
const MIC_GONE_GRACE_MS = 250;

const QUALITY_NAMES: Record<number, QualityName> = {
  [ConnectionQuality.QUALITY_EXCELLENT]: "excellent",
  [ConnectionQuality.QUALITY_GOOD]: "good",
  [ConnectionQuality.QUALITY_POOR]: "poor",
  [ConnectionQuality.QUALITY_LOST]: "lost",
};

/**
 * A participant's voice: the microphone, or an audio track published without a source.
 * Server-side SDK clients (LiveKit's Go SDK, `lk perf load-test`, many bots) publish
 * audio with no source set; it is still someone speaking. Screen-share audio is not.
 */
export function isVoiceTrack(pub: TrackPublication): boolean {
  return pub.kind === TrackKind.KIND_AUDIO && (pub.source === TrackSource.SOURCE_MICROPHONE || pub.source === TrackSource.SOURCE_UNKNOWN);
}

interface Mic {
  meter: LevelMeter;
  live: boolean;
  tap: AudioTap | null;
  trackSid: string;
}

export interface RoomInputDeps {
  /** The core changed what the room's metadata must show (a pin to merge, a stale program). */
  onProgramDirty(): void;
  /**
   * The voice model for this room (its gate decides per participant whether it runs),
   * or null while it is not loaded: the policy then decides on levels alone.
   */
  speech(): SpeechStage | null;
  log(msg: string, fields?: Record<string, unknown>): void;
}

export class RoomInput {
  private readonly mics = new Map<ParticipantId, Mic>();
  private readonly micGoneTimers = new Map<ParticipantId, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly room: Room,
    private readonly core: RoomCore,
    private readonly deps: RoomInputDeps,
    /** called once when the room is gone (disconnected or closed) */
    private readonly onGone: () => void,
  ) {}

  /** Listen before connecting, so no event that arrives during the connect is lost. */
  attach(): void {
    this.room
      .on(RoomEvent.ParticipantConnected, (p) => this.admit(p))
      .on(RoomEvent.ParticipantDisconnected, (p) => this.onLeft(p))
      .on(RoomEvent.TrackPublished, (pub, p) => this.onPublished(pub, p))
      .on(RoomEvent.TrackSubscribed, (track, pub, p) => this.onTrackSubscribed(track, pub, p))
      .on(RoomEvent.TrackUnsubscribed, (_t, pub, p) => this.onMicGone(pub, p))
      .on(RoomEvent.TrackUnpublished, (pub, p) => this.onMicGone(pub, p))
      .on(RoomEvent.TrackMuted, (pub, p) => this.onMute(pub, p, true))
      .on(RoomEvent.TrackUnmuted, (pub, p) => this.onMute(pub, p, false))
      .on(RoomEvent.ActiveSpeakersChanged, (speakers) => this.core.speakers(speakers.map((s) => s.identity)))
      .on(RoomEvent.RoomMetadataChanged, (md) => this.onMetadata(md))
      .on(RoomEvent.ConnectionQualityChanged, (q, p) => this.core.setQuality(p.identity, QUALITY_NAMES[q] ?? "unknown"))
      .on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => this.onData(payload, participant, topic))
      .on(RoomEvent.Reconnecting, () => this.deps.log("room connection lost; reconnecting", { room: this.room.name }))
      .on(RoomEvent.Reconnected, () => this.resync())
      .on(RoomEvent.Disconnected, () => this.close());
  }

  /** Once connected: everyone already in the room, and its metadata. */
  start(): void {
    for (const p of this.room.remoteParticipants.values()) this.admit(p);
    this.onMetadata(this.room.metadata ?? "");
  }

  /**
   * A participant and the voice tracks they have already published. rtc-node reports the
   * tracks of a participant it learns about whole (at connect, and after a full
   * reconnect: rejoining a room another LiveKit node took over) with no TrackPublished
   * for them, so they are subscribed here. A voice already tapped is left as it is.
   */
  private admit(p: RemoteParticipant): void {
    this.addMember(p);
    for (const pub of p.trackPublications.values()) {
      if (!isVoiceTrack(pub)) continue;
      const mic = this.mics.get(p.identity);
      if (mic?.tap && mic.trackSid === pub.sid) continue;
      if (pub.track) this.onTrackSubscribed(pub.track as RemoteTrack, pub as RemoteTrackPublication, p);
      else this.onPublished(pub, p);
    }
  }

  /**
   * Back after a reconnect. A full one (another LiveKit node now hosts the room) told us
   * everyone left, then may have brought them back without the events we count on: the
   * room as rtc-node now sees it is the truth. Members it lacks leave; the rest are
   * admitted again (see admit).
   */
  private resync(): void {
    const present = new Set([...this.room.remoteParticipants.values()].filter((p) => isPerson(p)).map((p) => p.identity));
    for (const m of this.core.memberList()) if (!present.has(m.id)) this.removeMember(m.id);
    for (const p of this.room.remoteParticipants.values()) this.admit(p);
    this.deps.log("room connection back", { room: this.room.name, participants: present.size, voices: this.mics.size });
  }

  /** This frame's level of every live microphone (a stalled stream reads as silence). */
  levels(): Record<ParticipantId, number> {
    const out: Record<ParticipantId, number> = {};
    for (const [id, mic] of this.mics) if (mic.live) out[id] = mic.meter.take();
    return out;
  }

  /** The voice model's latest probability per participant it is evaluating now. */
  speech(): Record<ParticipantId, number> | undefined {
    return this.deps.speech()?.speech();
  }

  /** frames dropped by jitter buffers that overflowed (a slow director, for /debug) */
  get droppedFrames(): number {
    let n = 0;
    for (const mic of this.mics.values()) n += mic.meter.dropped;
    return n;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.micGoneTimers.values()) clearTimeout(t);
    for (const mic of this.mics.values()) mic.tap?.close();
    this.mics.clear();
    this.onGone();
  }

  private onLeft(p: RemoteParticipant): void {
    if (isDirectorIdentity(p.identity)) {
      this.core.directorLeft();
      if (this.core.programDirty) this.deps.onProgramDirty();
      return;
    }
    this.removeMember(p.identity);
  }

  /** Another director is in this room now (as rtc-node sees it). */
  otherDirectorHere(): boolean {
    for (const p of this.room.remoteParticipants.values()) if (isDirectorIdentity(p.identity)) return true;
    return false;
  }

  private addMember(p: RemoteParticipant): void {
    if (!isPerson(p)) return;
    this.core.join(p.identity, p.name || p.identity);
  }

  private removeMember(identity: ParticipantId): void {
    clearTimeout(this.micGoneTimers.get(identity));
    this.micGoneTimers.delete(identity);
    this.mics.get(identity)?.tap?.close();
    this.mics.delete(identity);
    this.deps.speech()?.remove(identity);
    this.core.leave(identity);
  }

  /**
   * The director subscribes to voices only (it joins with auto-subscribe off): video
   * would cost a decoder per camera for nothing.
   */
  private onPublished(pub: TrackPublication, p: RemoteParticipant): void {
    if (!isPerson(p) || !isVoiceTrack(pub)) return;
    (pub as RemoteTrackPublication).setSubscribed(true);
  }

  private onTrackSubscribed(track: RemoteTrack, pub: RemoteTrackPublication, p: RemoteParticipant): void {
    if (!isPerson(p) || !isVoiceTrack(pub) || track.kind !== TrackKind.KIND_AUDIO) return;
    this.addMember(p);
    const old = this.mics.get(p.identity);
    // A second voice track of the same participant does not replace the first.
    if (old?.tap && old.trackSid !== pub.sid) return;
    old?.tap?.close();
    clearTimeout(this.micGoneTimers.get(p.identity));
    const mic: Mic = { meter: old?.meter ?? newMeter(), live: !(pub.muted ?? false), tap: null, trackSid: pub.sid ?? "" };
    mic.meter.clear();
    this.mics.set(p.identity, mic);
    this.core.mute(p.identity, pub.muted ?? false);
    const identity = p.identity;
    this.deps.speech()?.remove(identity);
    // The voice model's own 20 ms clock for this stream (its gate times its hang by it).
    let t = 0;
    const onFrame = (pcm: Int16Array) => {
      if (this.closed || !mic.live || this.mics.get(identity) !== mic) return;
      const n = mic.meter.push(pcm);
      const speech = this.deps.speech();
      if (!speech) return;
      const chunk = pcm.length / n;
      // Queued only: the host runs every room's windows in one batch on its clock.
      for (let k = 0; k < n; k++, t += FRAME_MS) speech.feed(identity, t, mic.meter.recent[k]!, pcm.subarray(k * chunk, (k + 1) * chunk));
    };
    // 16 kHz mono, resampled by rtc-node (in Rust) from what the SFU forwarded: a third
    // of the samples to copy into JavaScript per frame, and the rate the voice model
    // takes. Speech has its energy below 8 kHz: its 20 ms levels match the 48 kHz ones
    // within ±1 dB (median 0); a click reads about 5 dB quieter. 40 ms frames: each
    // frame is one FFI event, half the events of 20 ms ones; two levels come out of each.
    try {
      mic.tap = tapAudio(track, { sampleRate: METER_RATE, frameSizeMs: STREAM_FRAME_MS }, onFrame, () => {
        this.deps.log("audio stream ended", { identity });
        if (this.mics.get(identity) === mic) mic.tap = null;
      });
    } catch (err) {
      this.deps.log("audio stream failed", { identity, error: String(err) });
    }
  }

  private onMicGone(pub: TrackPublication, p: RemoteParticipant): void {
    const mic = this.mics.get(p.identity);
    if (!mic || pub.sid !== mic.trackSid) return;
    mic.tap?.close();
    mic.tap = null;
    mic.live = false;
    mic.meter.clear();
    // A leaving participant's tracks are unpublished just before they disconnect.
    // Hold the "muted" report briefly so a leave is reported as a leave; the mic
    // already counts as silence meanwhile.
    const identity = p.identity;
    clearTimeout(this.micGoneTimers.get(identity));
    this.micGoneTimers.set(
      identity,
      setTimeout(() => {
        this.micGoneTimers.delete(identity);
        if (this.mics.get(identity) === mic) this.core.mute(identity, true);
      }, MIC_GONE_GRACE_MS),
    );
  }

  private onMute(pub: TrackPublication, p: Participant, muted: boolean): void {
    const mic = this.mics.get(p.identity);
    if (!mic || pub.sid !== mic.trackSid) return;
    mic.live = !muted;
    if (muted) mic.meter.clear();
    this.core.mute(p.identity, muted);
  }

  private onMetadata(md: string): void {
    this.core.metadata(md);
    if (this.core.programDirty) this.deps.onProgramDirty();
  }

  /**
   * Data the app sends: activity to log (LiveKit webhooks, admin actions), and the room
   * metadata an admin input was just written into (ADMIN_INPUT_TOPIC), merged like a
   * metadata event. Only the server may send either.
   */
  private onData(payload: Uint8Array, participant: Participant | undefined, topic: string | undefined): void {
    if (participant !== undefined) return;
    if (topic === ADMIN_INPUT_TOPIC) {
      this.core.adminInputs(new TextDecoder().decode(payload), this.room.metadata ?? "");
      if (this.core.programDirty) this.deps.onProgramDirty();
      return;
    }
    if (topic !== ACTIVITY_TOPIC) return;
    const a = parseActivity(payload);
    if (a) this.core.addActivity(a);
  }
}
