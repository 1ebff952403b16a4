/**
 * What the director publishes besides the program: live levels and its debug record.
 * The director is a hidden participant, so its attributes never reach browsers; the
 * server reads them with RoomServiceClient.listParticipants. Pure and shared by the
 * director (writer) and the app (reader).
 */
import { z } from "zod";
import { withMetadataKey } from "./program";

/** Attribute keys on the director's participant. */
export const ATTR_LEVELS = "cc.levels";
export const ATTR_DEBUG = "cc.debug";
export const ATTR_HEARTBEAT = "cc.hb";
export const DIRECTOR_IDENTITY_PREFIX = "director-";

/** identity -> [dBov 0..127, speaking 0|1] */
export const levelsAttrSchema = z.record(z.string(), z.tuple([z.number(), z.number()]));
export type LevelsAttr = z.infer<typeof levelsAttrSchema>;

export function parseLevelsAttr(value: string | undefined): LevelsAttr {
  if (!value) return {};
  try {
    const parsed = levelsAttrSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function isDirectorIdentity(identity: string): boolean {
  return identity.startsWith(DIRECTOR_IDENTITY_PREFIX);
}

/** The director's debug record for one room, kept in its `cc.debug` attribute. */
export const debugAttrSchema = z.object({
  v: z.literal(1),
  at: z.number(),
  room: z.string(),
  director: z.string(),
  policy: z.string(),
  config: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  participants: z.record(
    z.string(),
    z.object({
      name: z.string(),
      muted: z.boolean(),
      /** last 10 s of 20 ms levels, one byte (dBov) per frame, base64, oldest first */
      levels: z.string(),
    }),
  ),
  decisions: z.array(
    z.object({
      at: z.number(),
      program: z.string().nullable(),
      previous: z.string().nullable(),
      reason: z.string(),
      evidence: z.record(z.string(), z.number()),
      seq: z.number(),
    }),
  ),
  health: z.object({
    pid: z.number(),
    startedAt: z.number(),
    cpuPercent: z.number(),
    rssMb: z.number(),
    eventLagMs: z.number(),
    eventLagMaxMs: z.number(),
    framesDropped: z.number(),
    participants: z.number(),
  }),
});
export type DebugAttr = z.infer<typeof debugAttrSchema>;

export function parseDebugAttr(value: string | undefined): DebugAttr | null {
  if (!value) return null;
  try {
    const parsed = debugAttrSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** An admin's pin, kept in the room metadata beside the director's program. */
export const pinSchema = z.object({ identity: z.string().nullable(), at: z.number() });
export type Pin = z.infer<typeof pinSchema>;

export function parsePin(metadata: string | undefined | null): Pin | null {
  if (!metadata) return null;
  try {
    const parsed = z.object({ pin: pinSchema }).loose().safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data.pin : null;
  } catch {
    return null;
  }
}

/** Write a pin into room metadata, keeping every other key (the director's program). */
export function withPin(metadata: string | undefined | null, pin: Pin): string {
  return withMetadataKey(metadata, "pin", pin);
}

/**
 * The room's activity log, kept by its director in the `cc.log` attribute (last
 * ACTIVITY_MAX entries). The app forwards LiveKit's webhook events and admins'
 * actions to the director as data messages on ACTIVITY_TOPIC; the director appends
 * them. It lives there, not in the app, so every app instance sees the same log.
 */
export const ATTR_LOG = "cc.log";
export const ATTR_TREND = "cc.trend";
/** identity -> "excellent" | "good" | "poor" | "lost", as LiveKit reports it to the director */
export const ATTR_QUALITY = "cc.quality";
export const qualitySchema = z.enum(["excellent", "good", "poor", "lost", "unknown"]);
export type Quality = z.infer<typeof qualitySchema>;

export function parseQualityAttr(value: string | undefined): Record<string, Quality> {
  if (!value) return {};
  try {
    const parsed = z.record(z.string(), qualitySchema).safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
export const ACTIVITY_TOPIC = "cc.activity";
export const ACTIVITY_MAX = 60;

export const activityKinds = [
  "room_started",
  "participant_joined",
  "participant_left",
  "track_published",
  "track_unpublished",
  "pin",
  "unpin",
  "mute",
  "remove",
] as const;

export const activitySchema = z.object({
  /** ms since the epoch */
  at: z.number(),
  kind: z.enum(activityKinds),
  identity: z.string().max(128).nullable().default(null),
  name: z.string().max(128).nullable().default(null),
  /** e.g. "microphone", "camera" for tracks; "admin" for manual actions */
  detail: z.string().max(64).nullable().default(null),
});
export type Activity = z.infer<typeof activitySchema>;

export function parseActivity(value: string | Uint8Array): Activity | null {
  try {
    const text = typeof value === "string" ? value : new TextDecoder().decode(value);
    const parsed = activitySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function parseLogAttr(value: string | undefined): Activity[] {
  if (!value) return [];
  try {
    const parsed = z.array(activitySchema).safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * Two minutes of levels per participant for /friends' timeline: one byte (the loudest
 * dBov) per TREND_BUCKET_MS, base64, oldest first; `at` is the end of the last bucket.
 */
export const TREND_BUCKET_MS = 500;
export const TREND_BUCKETS = 240;
export const trendAttrSchema = z.object({ at: z.number(), levels: z.record(z.string(), z.string()) });
export type TrendAttr = z.infer<typeof trendAttrSchema>;

export function parseTrendAttr(value: string | undefined): TrendAttr | null {
  if (!value) return null;
  try {
    const parsed = trendAttrSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
