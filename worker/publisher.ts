/**
 * The publisher: writes what one room's core holds where the app and the screens read
 * it. The program goes into the room's metadata (every client receives it); live
 * levels, the activity log, connection quality, the 2-minute trend, the debug record
 * and the heartbeat go into the director's own attributes, which only the server API
 * reads (the director is hidden, so LiveKit sends them to no client).
 */
import type { LocalParticipant } from "@livekit/rtc-node";
import {
  ATTR_DEBUG,
  ATTR_HEARTBEAT,
  ATTR_LEVELS,
  ATTR_LOG,
  ATTR_QUALITY,
  ATTR_TREND,
  type DebugAttr,
  type LevelsAttr,
  type TrendAttr,
} from "@/lib/director-state";
import type { RoomCore } from "./core";

const LEVELS_PUBLISH_MS = 250;
const DEBUG_PUBLISH_MS = 1000;

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
  private lastLevelsAt = 0;
  private lastDebugAt = 0;
  private stopped = false;

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
    if (Object.keys(attrs).length > 0) {
      lp.setAttributes(attrs).catch((err: unknown) => this.deps.log("setAttributes failed", { room: this.deps.roomName, error: String(err) }));
    }
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
