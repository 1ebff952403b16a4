/**
 * The room-state contract: everything the director, the app and the pages exchange
 * through LiveKit, in one place. Pure and shared by the director (writer) and the app
 * and pages (readers); every reader falls back (null, {} or []) on a value that is
 * absent, not JSON or not of the expected shape, so an old or foreign value never throws.
 *
 * - In the room's metadata (every participant's browser gets it as a room event): the
 *   director's program (`director` key, written by worker/publisher.ts) and the admin's
 *   inputs (`pin`, `roles`, `take`, `shotLength`, written by lib/admin/actions.ts). Each
 *   writer keeps the other keys.
 * - In the director's participant attributes (`cc.*`): live levels, its debug record,
 *   heartbeat, activity log, trend and connection quality. The director is a hidden
 *   participant, so these never reach browsers; the server reads them with
 *   RoomServiceClient.listParticipants.
 * - On each participant: the webhook stamp (`cc.webhook`).
 * - As data messages to the director: activity entries (topic `cc.activity`).
 */
import { z } from "zod";
import { parseJson } from "@/lib/schemas";

// ---------------------------------------------------------------------------------
// Who is who.

export const DIRECTOR_IDENTITY_PREFIX = "director-";

export function isDirectorIdentity(identity: string): boolean {
  return identity.startsWith(DIRECTOR_IDENTITY_PREFIX);
}

/** LiveKit's participant kinds, the same numbers in the server, browser and Node SDKs. */
const KIND_EGRESS = 2;
const KIND_AGENT = 4;

/**
 * The fields of a participant the person rule reads, as every LiveKit SDK names them:
 * the server's ParticipantInfo (`permission`), the browser's Participant
 * (`permissions`) and rtc-node's RemoteParticipant (neither: the director sees no
 * permissions, which is why the identity is checked too).
 */
export interface ParticipantLike {
  identity: string;
  kind?: number;
  permission?: { hidden?: boolean } | undefined;
  permissions?: { hidden?: boolean } | undefined;
}

/**
 * Who counts as a person in a channel: not hidden (viewers, the director and Egress
 * join hidden), not an agent or Egress by kind, and not a director by identity (in
 * case one is ever deployed without the hidden grant). People are who the director
 * may put on program, who /status and /friends list and who the pages tile.
 */
export function isPerson(p: ParticipantLike): boolean {
  if (p.permission?.hidden || p.permissions?.hidden) return false;
  if (p.kind === KIND_AGENT || p.kind === KIND_EGRESS) return false;
  return !isDirectorIdentity(p.identity);
}

// ---------------------------------------------------------------------------------
// Room metadata: the program and the pin.

/** The director's one decision, as every screen reads it. */
export const programStateSchema = z.object({
  /** identity on program, or null while nobody is */
  program: z.string().nullable(),
  /** display name of the program participant */
  name: z.string().nullable(),
  /** ms since the epoch when this participant went on program */
  since: z.number(),
  reason: z.string(),
  /** increases by one on every change; lets a screen drop a stale update */
  seq: z.number().int().nonnegative(),
  /** identity an admin pinned, or null */
  pinned: z.string().nullable().default(null),
  /**
   * What screens show: "speaker", the program participant full frame; "wide", a grid of
   * the channel's cameras (free floor, crosstalk, ping-pong or an admin's W). On a wide
   * shot `program` keeps the last speaker, so a screen that predates shots still shows
   * someone.
   */
  shot: z.enum(["speaker", "wide"]).default("speaker"),
});
export type ProgramState = z.infer<typeof programStateSchema>;
export type Shot = ProgramState["shot"];

/** An admin's pin; the newer `at` wins. */
export const pinSchema = z.object({ identity: z.string().nullable(), at: z.number() });
export type Pin = z.infer<typeof pinSchema>;

const programMetadataSchema = z.object({ director: programStateSchema }).loose();
const pinMetadataSchema = z.object({ pin: pinSchema }).loose();
const anyObjectSchema = z.record(z.string(), z.unknown());

/** Read the program out of a room's metadata string; null when absent or not ours. */
export function parseProgram(metadata: string | undefined | null): ProgramState | null {
  return parseJson(programMetadataSchema, metadata, null)?.director ?? null;
}

export function parsePin(metadata: string | undefined | null): Pin | null {
  return parseJson(pinMetadataSchema, metadata, null)?.pin ?? null;
}

/**
 * Set one key of the room's JSON metadata, keeping every other key. Foreign, non-JSON
 * metadata is replaced: the room's metadata is ours to manage.
 */
export function withMetadataKey(metadata: string | undefined | null, key: string, value: unknown): string {
  return JSON.stringify({ ...parseJson(anyObjectSchema, metadata, {}), [key]: value });
}

/** Merge the program into existing room metadata, keeping any other keys. */
export function withProgram(metadata: string | undefined | null, state: ProgramState): string {
  return withMetadataKey(metadata, "director", state);
}

/** Write a pin into room metadata, keeping every other key (the director's program). */
export function withPin(metadata: string | undefined | null, pin: Pin): string {
  return withMetadataKey(metadata, "pin", pin);
}

/**
 * An admin's new pin (or unpin, identity null) over the metadata read just before:
 * its `at` is now, or one past the pin it replaces if that one is from a clock ahead,
 * so the director always sees it as the newer.
 */
export function pinOver(metadata: string | undefined | null, identity: string | null, now = Date.now()): Pin {
  return { identity, at: Math.max(now, (parsePin(metadata)?.at ?? 0) + 1) };
}

// ---------------------------------------------------------------------------------
// Room metadata: the vision mixer's admin inputs (director roles, take, shot length).
// Each carries `at`; the newest wins, as for the pin, and `…Over` stamps a new one
// after the one it replaces even when that came from a clock ahead.

/** A new stamp after `previous` (ms since the epoch). */
function stampAfter(previous: number | undefined, now: number): number {
  return Math.max(now, (previous ?? 0) + 1);
}

export const directorRoleSchema = z.enum(["auto", "favor", "never"]);
export type DirectorRole = z.infer<typeof directorRoleSchema>;

/**
 * Admin-set director roles of a channel: `favor` biases the director towards someone (a
 * host), `never` keeps them off program (an interpreter, a room microphone). Anyone absent
 * is `auto`. Keyed by identity, so a role survives a reconnect and a director restart.
 */
export const rolesSchema = z.object({ roles: z.record(z.string(), z.enum(["favor", "never"])), at: z.number() });
export type Roles = z.infer<typeof rolesSchema>;
const rolesMetadataSchema = z.object({ roles: rolesSchema }).loose();

export function parseRoles(metadata: string | undefined | null): Roles | null {
  return parseJson(rolesMetadataSchema, metadata, null)?.roles ?? null;
}

export function roleOf(roles: Roles | null, identity: string): DirectorRole {
  return roles?.roles[identity] ?? "auto";
}

/** The channel's roles with one participant's set (`auto` removes the entry). */
export function rolesOver(metadata: string | undefined | null, identity: string, role: DirectorRole, now = Date.now()): Roles {
  const current = parseRoles(metadata);
  const roles = { ...current?.roles };
  if (role === "auto") delete roles[identity];
  else roles[identity] = role;
  return { roles, at: stampAfter(current?.at, now) };
}

export function withRoles(metadata: string | undefined | null, roles: Roles): string {
  return withMetadataKey(metadata, "roles", roles);
}

/**
 * An admin's take: cut once, now, to `identity` (shot "speaker"), or go wide (identity
 * null, shot "wide"). Unlike a pin the director then carries on by itself. The director
 * applies each take once (by its `at`), and none that was already there when it joined.
 */
export const takeSchema = z.object({ identity: z.string().nullable(), shot: z.enum(["speaker", "wide"]), at: z.number() });
export type Take = z.infer<typeof takeSchema>;
const takeMetadataSchema = z.object({ take: takeSchema }).loose();

export function parseTake(metadata: string | undefined | null): Take | null {
  return parseJson(takeMetadataSchema, metadata, null)?.take ?? null;
}

export function takeOver(metadata: string | undefined | null, identity: string | null, shot: Shot, now = Date.now()): Take {
  return { identity: shot === "wide" ? null : identity, shot, at: stampAfter(parseTake(metadata)?.at, now) };
}

export function withTake(metadata: string | undefined | null, take: Take): string {
  return withMetadataKey(metadata, "take", take);
}

/** Longest minimum shot length an admin can set, ms. */
export const SHOT_LENGTH_MAX_MS = 60_000;

/**
 * A channel's minimum shot length, set live from /friends: it overrides SWITCH_DWELL_MS
 * for that channel; `ms: null` goes back to the default.
 */
export const shotLengthSchema = z.object({ ms: z.number().int().min(0).max(SHOT_LENGTH_MAX_MS).nullable(), at: z.number() });
export type ShotLength = z.infer<typeof shotLengthSchema>;
const shotLengthMetadataSchema = z.object({ shotLength: shotLengthSchema }).loose();

export function parseShotLength(metadata: string | undefined | null): ShotLength | null {
  return parseJson(shotLengthMetadataSchema, metadata, null)?.shotLength ?? null;
}

export function shotLengthOver(metadata: string | undefined | null, ms: number | null, now = Date.now()): ShotLength {
  return { ms, at: stampAfter(parseShotLength(metadata)?.at, now) };
}

export function withShotLength(metadata: string | undefined | null, value: ShotLength): string {
  return withMetadataKey(metadata, "shotLength", value);
}

// ---------------------------------------------------------------------------------
// The director's attributes.

export const ATTR_LEVELS = "cc.levels";
export const ATTR_DEBUG = "cc.debug";
export const ATTR_HEARTBEAT = "cc.hb";
export const ATTR_LOG = "cc.log";
export const ATTR_TREND = "cc.trend";
/** identity -> "excellent" | "good" | "poor" | "lost", as LiveKit reports it to the director */
export const ATTR_QUALITY = "cc.quality";
/**
 * The preview lane (/friends): the candidate the director is gathering evidence for, and
 * how far (0..1 of what a cut needs); `identity: null` when nobody is a candidate.
 */
export const ATTR_PREVIEW = "cc.preview";
export const previewAttrSchema = z.object({ identity: z.string().nullable(), progress: z.number().min(0).max(1), at: z.number() });
export type PreviewAttr = z.infer<typeof previewAttrSchema>;

export function parsePreviewAttr(value: string | undefined): PreviewAttr | null {
  return parseJson(previewAttrSchema, value, null);
}

/** identity -> [dBov 0..127, speaking 0|1] */
export const levelsAttrSchema = z.record(z.string(), z.tuple([z.number(), z.number()]));
export type LevelsAttr = z.infer<typeof levelsAttrSchema>;

export function parseLevelsAttr(value: string | undefined): LevelsAttr {
  return parseJson(levelsAttrSchema, value, {});
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
  return parseJson(debugAttrSchema, value, null);
}

export const qualitySchema = z.enum(["excellent", "good", "poor", "lost", "unknown"]);
export type Quality = z.infer<typeof qualitySchema>;
const qualityAttrSchema = z.record(z.string(), qualitySchema);

export function parseQualityAttr(value: string | undefined): Record<string, Quality> {
  return parseJson(qualityAttrSchema, value, {});
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
  return parseJson(trendAttrSchema, value, null);
}

// ---------------------------------------------------------------------------------
// The activity log. The director keeps it in its `cc.log` attribute (last
// ACTIVITY_MAX entries). The app forwards LiveKit's webhook events and admins'
// actions to the director as data messages on ACTIVITY_TOPIC; the director appends
// them. It lives there, not in the app, so every app instance sees the same log.

export const ACTIVITY_TOPIC = "cc.activity";
/**
 * The app sends the room metadata it has just written (a pin, roles, a take, a shot
 * length) to the directors on this topic as well, because LiveKit coalesces quick
 * successive metadata updates: a director's write from an older copy could otherwise
 * drop an admin's input unseen (see lib/admin/actions.ts).
 */
export const ADMIN_INPUT_TOPIC = "cc.admin";
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
  // the vision mixer's admin inputs (the director logs them as it applies them)
  "take",
  "wide",
  "role",
  "shot_length",
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
const logAttrSchema = z.array(activitySchema);

/** An activity entry as the data message that carries it to the director. */
export function encodeActivity(activity: Activity): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(activity));
}

export function parseActivity(value: string | Uint8Array): Activity | null {
  return parseJson(activitySchema, typeof value === "string" ? value : new TextDecoder().decode(value), null);
}

export function parseLogAttr(value: string | undefined): Activity[] {
  return parseJson(logAttrSchema, value, []);
}

// ---------------------------------------------------------------------------------
// The webhook's visible trace. When LiveKit's participant_joined webhook reaches the
// app, the app stamps the participant with this attribute (ms since the epoch,
// lib/webhook/stamp.ts). It is how a laptop can see a webhook round trip end to end
// (LiveKit → the app's webhook URL → signature check → LiveKit API) without any state
// in the app: `npm run doctor` joins a bot and waits for its own attribute.

export const ATTR_WEBHOOK_SEEN = "cc.webhook";

/** The stamp's time, or null when absent or not ours. */
export function parseWebhookSeen(value: string | undefined): number | null {
  if (!value || !/^\d{13}$/.test(value)) return null;
  return Number(value);
}
