/**
 * The publisher: writes what one room's core holds where the app and the screens read
 * it. The program goes into the room's metadata (every client receives it); live
 * levels, the preview lane, the activity log, connection quality, the 2-minute trend,
 * the debug record and the heartbeat go into the director's own attributes, which only the server API
 * reads (the director is hidden, so LiveKit sends them to no client).
 */
import type { LocalParticipant } from "@livekit/rtc-node";
import {
  ATTR_DEBUG,
  ATTR_HEARTBEAT,
  ATTR_LEVELS,
  ATTR_LOG,
  ATTR_PREVIEW,
  ATTR_QUALITY,
  ATTR_TREND,
  type DebugAttr,
  type LevelsAttr,
  type PreviewAttr,
  type TrendAttr,
} from "@/lib/room-state";
import type { RoomCore } from "./core";

const LEVELS_PUBLISH_MS = 250;
const DEBUG_PUBLISH_MS = 1000;
/** A setAttributes call still unsettled after this long is given up on (see setAttributes). */
const ATTRS_STUCK_MS = 3000;

/** What the host knows about the process, shared by every room's debug record. */
export interface HostHealth {
  pid: number;
  startedAt: number;
  cpuPercent: number;
  rssMb: number;
  eventLagMs: number;
  eventLagMaxMs: number;
  framesDropped: number;
}

export interface PublisherDeps {
  roomName: string;
  /** the room's current metadata, as this connection last saw it */
  metadata(): string;
  /** Writes the room's metadata through the server API. */
  updateMetadata(room: string, metadata: string): Promise<void>;
  localParticipant(): LocalParticipant | undefined;
  configForDebug: Record<string, number | string | boolean>;
  log(msg: string, fields?: Record<string, unknown>): void;
}

export class Publisher {
  private writing: Promise<void> = Promise.resolve();
  private writeQueued = false;
  private lastLevelsJson = "";
  /** the preview lane last published, without its time: it is sent again only when it moves */
  private lastPreviewKey = "";
  private lastLevelsAt = 0;
  private lastDebugAt = 0;
  private stopped = false;
  /** a setAttributes call is in flight; what came due meanwhile waits in `pendingAttrs` */
  private attrsInFlight = false;
  /** wall time the call in flight was made (a call that never settles must not block the room) */
  private attrsSentAt = 0;
  private pendingAttrs: Record<string, string> | null = null;

  constructor(
    private readonly core: RoomCore,
    private readonly deps: PublisherDeps,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  /** Writes are chained and coalesced: only the newest state is ever written. */
  writeProgram(): void {
    this.core.programDirty = false;
    if (this.writeQueued) return;
    this.writeQueued = true;
    this.writing = this.writing.then(async () => {
      this.writeQueued = false;
      if (this.stopped) return;
      const next = this.core.metadataToWrite(this.deps.metadata());
      if (next === null) return;
      try {
        await this.deps.updateMetadata(this.deps.roomName, next);
      } catch (err) {
        this.deps.log("publishing the program failed", { room: this.deps.roomName, error: String(err) });
        // Try again with the next frame's write, rather than leave screens stale.
        this.core.programDirty = true;
      }
    });
  }

  /** The attributes due at wall time `now`, set in one call. */
  publishAttributes(now: number, health: HostHealth, roomDroppedFrames: number): void {
    const lp = this.deps.localParticipant();
    if (!lp || this.stopped) return;
    const core = this.core;
    const attrs: Record<string, string> = {};
    if (now - this.lastLevelsAt >= LEVELS_PUBLISH_MS) {
      this.lastLevelsAt = now;
      const levels: LevelsAttr = {};
      for (const m of core.memberList()) levels[m.id] = [m.level, !m.muted && core.policy.speaking(m.id) ? 1 : 0];
      const json = JSON.stringify(levels);
      if (json !== this.lastLevelsJson) {
        this.lastLevelsJson = json;
        attrs[ATTR_LEVELS] = json;
      }
      // The preview lane rides on the same tick (about 4 a second), in the same call.
      const preview = core.preview();
      const key = `${preview.identity ?? ""}:${preview.progress}`;
      if (key !== this.lastPreviewKey) {
        this.lastPreviewKey = key;
        const attr: PreviewAttr = { identity: preview.identity, progress: preview.progress, at: now };
        attrs[ATTR_PREVIEW] = JSON.stringify(attr);
      }
    }
    if (core.qualityDirty) {
      core.qualityDirty = false;
      attrs[ATTR_QUALITY] = JSON.stringify(core.quality());
    }
    if (core.activityDirty) {
      core.activityDirty = false;
      attrs[ATTR_LOG] = JSON.stringify(core.activity);
    }
    if (now - this.lastDebugAt >= DEBUG_PUBLISH_MS) {
      this.lastDebugAt = now;
      attrs[ATTR_HEARTBEAT] = String(now);
      attrs[ATTR_DEBUG] = JSON.stringify(this.debugRecord(now, lp.identity, health, roomDroppedFrames));
      const trend: TrendAttr = { at: now, levels: {} };
      for (const m of core.memberList()) trend.levels[m.id] = m.trend.toBase64();
      attrs[ATTR_TREND] = JSON.stringify(trend);
    }
    if (Object.keys(attrs).length > 0) this.setAttributes(lp, attrs, now);
  }

  /**
   * One setAttributes call in flight per room: what comes due meanwhile is merged
   * (newest value per key) and sent when it returns. A slow or reconnecting room
   * then costs one pending call, not one per tick, each with its own FFI listener.
   */
  private setAttributes(lp: LocalParticipant, attrs: Record<string, string>, now = Date.now()): void {
    // A call that has not settled after ATTRS_STUCK_MS is given up on, so one lost
    // callback cannot freeze the room's levels and heartbeat for good.
    if (this.attrsInFlight && now - this.attrsSentAt < ATTRS_STUCK_MS) {
      this.pendingAttrs = { ...this.pendingAttrs, ...attrs };
      return;
    }
    if (this.pendingAttrs) attrs = { ...this.pendingAttrs, ...attrs };
    this.pendingAttrs = null;
    this.attrsInFlight = true;
    this.attrsSentAt = now;
    const sentAt = now;
    lp.setAttributes(attrs)
      .catch((err: unknown) => this.deps.log("setAttributes failed", { room: this.deps.roomName, error: String(err) }))
      .finally(() => {
        if (this.attrsSentAt !== sentAt) return; // given up on; a newer call is in flight
        this.attrsInFlight = false;
        const next = this.pendingAttrs;
        this.pendingAttrs = null;
        if (next && !this.stopped) this.setAttributes(lp, next);
      });
  }

  private debugRecord(now: number, self: string, health: HostHealth, roomDroppedFrames: number): DebugAttr {
    const core = this.core;
    const participants: DebugAttr["participants"] = {};
    for (const m of core.memberList()) participants[m.id] = { name: m.name, muted: m.muted, levels: m.history.toBase64() };
    return {
      v: 1,
      at: now,
      room: this.deps.roomName,
      director: self,
      policy: core.policy.name,
      config: this.deps.configForDebug,
      participants,
      decisions: core.decisions.list().map((d) => ({ ...d, evidence: { ...d.evidence } })),
      health: {
        pid: health.pid,
        startedAt: health.startedAt,
        cpuPercent: health.cpuPercent,
        rssMb: health.rssMb,
        eventLagMs: health.eventLagMs,
        eventLagMaxMs: health.eventLagMaxMs,
        framesDropped: health.framesDropped + roomDroppedFrames,
        participants: core.memberCount,
      },
    };
  }
}
