/**
 * What the browser remembers between visits: the join form's name, channel, mute
 * state and camera (front or back), and the viewer's channel and audio mute. Pure parsing plus guarded
 * localStorage access (private mode and storage-disabled browsers throw on access).
 */
import { z } from "zod";
import { channelSchema, parseJson } from "@/lib/schemas";

export const JOIN_PREFS_KEY = "cc.join.v1";
export const VIEWER_PREFS_KEY = "cc.viewer.v1";

/** Which camera a phone uses: the front ("user") or the back ("environment"). */
export const facingSchema = z.enum(["user", "environment"]);
export type Facing = z.infer<typeof facingSchema>;

const joinPrefsSchema = z.object({
  name: z.string().max(200).catch(""),
  channel: channelSchema.nullable().catch(null),
  muted: z.boolean().catch(false),
  // Absent in prefs stored before the choice existed: the front camera, as before.
  facing: facingSchema.catch("user"),
});
export type JoinPrefs = z.infer<typeof joinPrefsSchema>;
export const EMPTY_JOIN_PREFS: JoinPrefs = { name: "", channel: null, muted: false, facing: "user" };

const viewerPrefsSchema = z.object({
  channel: channelSchema.nullable().catch(null),
  audioMuted: z.boolean().catch(false),
});
export type ViewerPrefs = z.infer<typeof viewerPrefsSchema>;
export const EMPTY_VIEWER_PREFS: ViewerPrefs = { channel: null, audioMuted: false };

export function parseJoinPrefs(raw: string | null): JoinPrefs {
  return parseJson(joinPrefsSchema, raw, EMPTY_JOIN_PREFS);
}

export function parseViewerPrefs(raw: string | null): ViewerPrefs {
  return parseJson(viewerPrefsSchema, raw, EMPTY_VIEWER_PREFS);
}

export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Merge a change into the stored preferences; storage failures only lose the memory. */
export function saveJoinPrefs(change: Partial<JoinPrefs>): void {
  const next = { ...parseJoinPrefs(readStored(JOIN_PREFS_KEY)), ...change };
  writeStored(JOIN_PREFS_KEY, JSON.stringify(next));
}

export function saveViewerPrefs(change: Partial<ViewerPrefs>): void {
  const next = { ...parseViewerPrefs(readStored(VIEWER_PREFS_KEY)), ...change };
  writeStored(VIEWER_PREFS_KEY, JSON.stringify(next));
}

function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Quota or disabled storage: the form simply won't be prefilled next time.
  }
}

/** A channel from a query-string value, or null when absent or out of range. */
export function channelFromParam(value: string | string[] | undefined | null): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null || raw.trim() === "") return null;
  const parsed = channelSchema.safeParse(Number(raw));
  return parsed.success ? parsed.data : null;
}
