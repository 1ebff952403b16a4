/**
 * The egress admin API's request and response shapes, shared by the route handlers
 * and the admin dashboard (so the dashboard's inline errors are the API's 400s), and
 * the layout values the egress page understands. Pure.
 */
import { z } from "zod";
import { channelSchema } from "@/lib/schemas";

/**
 * What the layout page draws besides the program. `program`: the program participant
 * full-frame with a lower-third name. `program-strip`: the same plus a strip of the
 * other cameras. LiveKit's own layout names are accepted as aliases, so an egress
 * started from the LiveKit CLI with `--layout speaker` still looks right.
 */
export const EGRESS_LAYOUTS = ["program", "program-strip"] as const;
export type EgressLayout = (typeof EGRESS_LAYOUTS)[number];
export const DEFAULT_EGRESS_LAYOUT: EgressLayout = "program";

const LAYOUT_ALIASES: Record<string, EgressLayout> = {
  program: "program",
  "single-speaker": "program",
  "single-speaker-light": "program",
  "program-strip": "program-strip",
  strip: "program-strip",
  speaker: "program-strip",
  "speaker-dark": "program-strip",
  "speaker-light": "program-strip",
  grid: "program-strip",
  "grid-dark": "program-strip",
  "grid-light": "program-strip",
};

/** The layout for a `layout` query value; unknown or missing values get the default. */
export function resolveLayout(value: string | null | undefined): EgressLayout {
  return (value && LAYOUT_ALIASES[value.trim().toLowerCase()]) || DEFAULT_EGRESS_LAYOUT;
}

// A relative path inside the egress service's output folder or bucket. LiveKit's
// templates ({room_name}, {time}, {utc}) are allowed; "..", absolute paths and
// anything outside a conservative character set are not.
const SAFE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9_{}\-./]+$/;
const pathSchema = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(200, { error: `${what} must be at most 200 characters` })
    .regex(SAFE_PATH, {
      error: `${what} must be a relative path of letters, digits, _ - . / and {room_name} {time} templates`,
    });

export const fileOutputSchema = z.strictObject({
  type: z.literal("file"),
  /** default: recordings/{room_name}-{time}.mp4 */
  filepath: pathSchema("output.filepath")
    .refine((p) => /\.(mp4|ogg)$/.test(p), { error: "output.filepath must end in .mp4 or .ogg" })
    .optional(),
});

const rtmpUrl = z
  .string({ error: "each output.urls entry must be a string" })
  .trim()
  .max(1024, { error: "an RTMP URL must be at most 1024 characters" })
  .refine(
    (u) => {
      try {
        const p = new URL(u);
        return (p.protocol === "rtmp:" || p.protocol === "rtmps:") && p.hostname !== "";
      } catch {
        return false;
      }
    },
    { error: "each output.urls entry must be an rtmp:// or rtmps:// URL" },
  );

export const rtmpOutputSchema = z.strictObject({
  type: z.literal("rtmp"),
  /** rtmp(s)://host/app/stream-key; the key is a secret and is never echoed back */
  urls: z
    .array(rtmpUrl, { error: "output.urls must be an array of RTMP URLs" })
    .min(1, { error: "output.urls needs at least one RTMP URL" })
    .max(3, { error: "output.urls takes at most 3 RTMP URLs" }),
});

export const hlsOutputSchema = z.strictObject({
  type: z.literal("hls"),
  /** default: hls/{room_name}-{time} */
  filenamePrefix: pathSchema("output.filenamePrefix").optional(),
  /** default: playlist.m3u8 */
  playlistName: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_\-.]{1,64}\.m3u8$/, { error: "output.playlistName must be a file name ending in .m3u8" })
    .optional(),
  /** seconds per segment, default 6 */
  segmentDuration: z
    .number({ error: "output.segmentDuration must be a number" })
    .int({ error: "output.segmentDuration must be a whole number of seconds" })
    .min(2, { error: "output.segmentDuration must be from 2 to 20 s" })
    .max(20, { error: "output.segmentDuration must be from 2 to 20 s" })
    .optional(),
});

export const egressOutputSchema = z.discriminatedUnion("type", [fileOutputSchema, rtmpOutputSchema, hlsOutputSchema], {
  error: 'output must be an object with type "file", "rtmp" or "hls"',
});
export type EgressOutput = z.infer<typeof egressOutputSchema>;
export type EgressOutputType = EgressOutput["type"];

export const startEgressRequestSchema = z.strictObject(
  {
    channel: channelSchema,
    output: egressOutputSchema,
    layout: z.enum(EGRESS_LAYOUTS, { error: `layout must be one of ${EGRESS_LAYOUTS.join(", ")}` }).default(DEFAULT_EGRESS_LAYOUT),
  },
  { error: "body must be a JSON object with channel and output" },
);
export type StartEgressRequest = z.input<typeof startEgressRequestSchema>;

export const egressIdSchema = z
  .string({ error: "egressId must be a string" })
  .regex(/^EG_[A-Za-z0-9]{4,40}$/, { error: "egressId must look like EG_xxxxxxxxxxxx" });

/** Stop one egress by id, or every active egress of a channel. */
export const stopEgressRequestSchema = z.union(
  [z.strictObject({ egressId: egressIdSchema }), z.strictObject({ channel: channelSchema })],
  { error: "body must be { egressId } or { channel }" },
);
export type StopEgressRequest = z.infer<typeof stopEgressRequestSchema>;

export type EgressState = "starting" | "active" | "ending";

/** One running egress as the API lists it. Stream keys never leave the server. */
export interface ActiveEgress {
  egressId: string;
  channel: number | null;
  room: string;
  state: EgressState;
  /** ms since the epoch, or null while starting */
  startedAt: number | null;
  layout: string;
  output: { type: EgressOutputType | "unknown"; location: string | null };
}

export interface EgressListResponse {
  egresses: ActiveEgress[];
}

export interface StartEgressResponse {
  egress: ActiveEgress;
}

export interface StopEgressResponse {
  stopped: ActiveEgress[];
}

/** An RTMP URL without its path (which holds the stream key): rtmp://host/… */
export function redactStreamUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(stream)";
  }
}
