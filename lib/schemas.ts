/**
 * Schemas shared by the browser and the server, so the join form's inline validation
 * and the API's 400s are the same rules.
 */
import { z } from "zod";

export const MIN_CHANNEL = 1;
export const MAX_CHANNEL = 20;
export const MAX_NAME_LENGTH = 40;

// Control characters (C0, DEL, C1) and the Unicode line/paragraph separators.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const nameSchema = z
  .string({ error: "name must be a string" })
  .trim()
  .min(1, { error: "name is required" })
  .max(MAX_NAME_LENGTH, { error: `name must be at most ${MAX_NAME_LENGTH} characters` })
  .refine((s) => !CONTROL_CHARS.test(s), { error: "name must not contain control characters" })
  // Markup in a display name is never intended. Every screen renders names as text
  // anyway; refusing < and > here is defence in depth for other consumers (logs,
  // OBS overlays, recordings' metadata).
  .refine((s) => !/[<>]/.test(s), { error: "name must not contain < or >" });

export const channelSchema = z
  .number({ error: "channel must be a number" })
  .int({ error: "channel must be a whole number" })
  .min(MIN_CHANNEL, { error: `channel must be from ${MIN_CHANNEL} to ${MAX_CHANNEL}` })
  .max(MAX_CHANNEL, { error: `channel must be from ${MIN_CHANNEL} to ${MAX_CHANNEL}` });

export const roleSchema = z.enum(["participant", "viewer"], {
  error: 'role must be "participant" or "viewer"',
});
export type Role = z.infer<typeof roleSchema>;

export const tokenRequestSchema = z.strictObject(
  {
    name: nameSchema,
    channel: channelSchema,
    role: roleSchema.default("participant"),
  },
  { error: "body must be a JSON object with name and channel" },
);
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export interface TokenResponse {
  serverUrl: string;
  room: string;
  identity: string;
  name: string;
  token: string;
}

export function roomForChannel(channel: number): string {
  return `channel-${channel}`;
}

const ROOM_RE = /^channel-(\d{1,2})$/;

/** The channel of a room name, or null when the room is not one of ours. */
export function channelOfRoom(room: string): number | null {
  const m = ROOM_RE.exec(room);
  if (!m?.[1]) return null;
  const n = Number(m[1]);
  return n >= MIN_CHANNEL && n <= MAX_CHANNEL ? n : null;
}

/** Flatten a zod error into `{ field: message }` for a 400's `details`. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    out[key] ??= issue.message;
  }
  return out;
}

/** Admins act on participants only: never on viewers or the director. */
export const participantIdentitySchema = z
  .string({ error: "identity must be a string" })
  .regex(/^p_[A-Za-z0-9_-]{1,100}$/, { error: "identity must be a participant's identity (p_…)" });

export const adminTargetSchema = z.strictObject(
  { channel: channelSchema, identity: participantIdentitySchema },
  { error: "body must be a JSON object with channel and identity" },
);
export type AdminTarget = z.infer<typeof adminTargetSchema>;

/** `identity: null` unpins and hands the program back to the director. */
export const pinRequestSchema = z.strictObject(
  { channel: channelSchema, identity: participantIdentitySchema.nullable() },
  { error: "body must be a JSON object with channel and identity (null to unpin)" },
);
export type PinRequest = z.infer<typeof pinRequestSchema>;

export const loginRequestSchema = z.strictObject(
  { password: z.string({ error: "password must be a string" }).min(1, { error: "password is required" }).max(512) },
  { error: "body must be a JSON object with password" },
);
