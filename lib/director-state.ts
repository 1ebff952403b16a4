/**
 * What the director publishes besides the program: live levels and its debug record.
 * The director is a hidden participant, so its attributes never reach browsers; the
 * server reads them with RoomServiceClient.listParticipants. Pure and shared by the
 * director (writer) and the app (reader).
 */
import { z } from "zod";

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
