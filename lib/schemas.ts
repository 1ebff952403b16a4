/**
 * Schemas shared by the browser and the server, so the join form's inline validation
 * and the API's 400s are the same rules.
 */
import { z } from "zod";
// lib/room-state.ts imports this module: its values are read only inside callbacks
// (at parse time), never while this module loads, so the cycle is harmless.
import { SHOT_LENGTH_MAX_MS, type DirectorRole, type Shot } from "@/lib/room-state";

export const MIN_CHANNEL = 1;
export const MAX_CHANNEL = 20;
export const MAX_NAME_LENGTH = 40;

// Control characters (C0, DEL, C1) and the Unicode line/paragraph separators.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Bidi controls (embeddings, overrides, isolates, marks) reorder the text around a
// name ("Sam" that renders as someone else's, or a name that flips the rest of a log
// line), and invisible characters make two names look alike. None belongs in a name.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE_CHARS = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/;
// The zero-width joiner is also how emoji are built (👩‍💻, 👨‍👩‍👧): allowed between two pictographs only.
const EMOJI_ZWJ = /(?<=\p{Extended_Pictographic}\ufe0f?)\u200d(?=\p{Extended_Pictographic})/gu;

/** Does a name carry bidi controls or invisible characters (emoji joiners aside)? */
export function hasHiddenChars(s: string): { bidi: boolean; invisible: boolean } {
  return { bidi: BIDI_CONTROLS.test(s), invisible: INVISIBLE_CHARS.test(s.replace(EMOJI_ZWJ, "")) };
}

export const nameSchema = z
  .string({ error: "name must be a string" })
  .trim()
  .min(1, { error: "name is required" })
  .max(MAX_NAME_LENGTH, { error: `name must be at most ${MAX_NAME_LENGTH} characters` })
  .refine((s) => !CONTROL_CHARS.test(s), { error: "name must not contain control characters" })
  // Markup in a display name is never intended. Every screen renders names as text
  // anyway; refusing < and > here is defence in depth for other consumers (logs,
  // OBS overlays, recordings' metadata).
  .refine((s) => !/[<>]/.test(s), { error: "name must not contain < or >" })
  .refine((s) => !hasHiddenChars(s).bidi, { error: "name must not contain text-direction controls" })
  .refine((s) => !hasHiddenChars(s).invisible, { error: "name must not contain invisible (zero-width) characters" });

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
    /** The deployment's JOIN_CODE, when it has one. */
    code: z.string({ error: "code must be a string" }).max(64, { error: "code must be at most 64 characters" }).optional(),
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

/** A viewer's identity (v_<browser>_<tab>): admins may remove viewers, nothing else. */
export const viewerIdentitySchema = z
  .string({ error: "identity must be a string" })
  .regex(/^v_[A-Za-z0-9_-]{1,100}$/, { error: "identity must be a viewer's identity (v_…)" });

/** Remove takes a participant or a viewer. */
export const removeRequestSchema = z.strictObject(
  {
    channel: channelSchema,
    identity: z
      .string({ error: "identity must be a string" })
      .regex(/^[pv]_[A-Za-z0-9_-]{1,100}$/, { error: "identity must be a participant's (p_…) or a viewer's (v_…)" }),
  },
  { error: "body must be a JSON object with channel and identity" },
);

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

const directorRoleRequestValues = ["auto", "favor", "never"] as const satisfies readonly DirectorRole[];
const shotValues = ["speaker", "wide"] as const satisfies readonly Shot[];

/** A participant's director role: `favor`, `never`, or `auto` (the default, removes the role). */
export const directorRoleRequestSchema = z.strictObject(
  {
    channel: channelSchema,
    identity: participantIdentitySchema,
    role: z.enum(directorRoleRequestValues, { error: 'role must be "auto", "favor" or "never"' }),
  },
  { error: "body must be a JSON object with channel, identity and role" },
);
export type DirectorRoleRequest = z.infer<typeof directorRoleRequestSchema>;

/**
 * A take: `{channel, identity}` cuts to that participant (shot "speaker"), `{channel,
 * shot: "wide"}` goes wide. A wide take names nobody, a speaker take somebody.
 */
export const takeRequestSchema = z
  .strictObject(
    {
      channel: channelSchema,
      identity: participantIdentitySchema.optional(),
      shot: z.enum(shotValues, { error: 'shot must be "speaker" or "wide"' }).default("speaker"),
    },
    { error: 'body must be a JSON object with channel and identity, or channel and shot: "wide"' },
  )
  .superRefine((v, ctx) => {
    if (v.shot === "wide" && v.identity !== undefined) ctx.addIssue({ code: "custom", path: ["identity"], message: "a wide take names nobody: leave identity out" });
    if (v.shot === "speaker" && v.identity === undefined) ctx.addIssue({ code: "custom", path: ["identity"], message: "identity is required for a speaker take" });
  })
  .transform((v) => ({ channel: v.channel, identity: v.identity ?? null, shot: v.shot }));
export type TakeRequest = z.output<typeof takeRequestSchema>;

/** A channel's minimum shot length in ms; `ms: null` goes back to the director's default. */
export const shotLengthRequestSchema = z.strictObject(
  {
    channel: channelSchema,
    ms: z
      .number({ error: "ms must be a number of milliseconds, or null for the default" })
      .int({ error: "ms must be a whole number" })
      .min(0, { error: "ms must not be negative" })
      .refine((ms) => ms <= SHOT_LENGTH_MAX_MS, { error: () => `ms must be at most ${SHOT_LENGTH_MAX_MS}` })
      .nullable(),
  },
  { error: "body must be a JSON object with channel and ms (null for the default)" },
);
export type ShotLengthRequest = z.infer<typeof shotLengthRequestSchema>;

export const loginRequestSchema = z.strictObject(
  { password: z.string({ error: "password must be a string" }).min(1, { error: "password is required" }).max(512) },
  { error: "body must be a JSON object with password" },
);

/**
 * Parse JSON text and validate it: `fallback` when the text is absent, not JSON, or not
 * of the schema's shape. For everything read back from storage, room metadata or
 * another process's attributes, where a foreign or old value must never throw.
 */
export function parseJson<S extends z.ZodType, F>(schema: S, text: string | null | undefined, fallback: F): z.output<S> | F {
  if (!text) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fallback;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}
