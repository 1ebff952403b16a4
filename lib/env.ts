/**
 * The only reader of process.env. Parsed once with zod; a wrong setting fails at
 * start with a message that names the variable. Imported by the app's server code,
 * the director (compiled) and scripts run with tsx; never by client components (it holds secrets).
 */
import { isIP } from "node:net";
import { z } from "zod";
import { PROGRAM_TRANSITIONS } from "@/lib/program-transition";

/**
 * CAUTION: the embedded default's key pair. It is public (it is in this file), so it
 * is only accepted outside production; `NODE_ENV=production` refuses to start with it.
 */
export const DEV_API_KEY = "cc-dev-key";
export const DEV_API_SECRET = "cc-dev-secret-embedded-default-not-for-production";

const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /**
     * Set to 1 by `npm start`/`npm test` for the embedded default. `next start` forces
     * NODE_ENV=production, so NODE_ENV alone can't tell a laptop from a deployment.
     */
    CC_EMBEDDED: z.enum(["0", "1"]).default("0"),
    /**
     * Set by Vercel ("1"). Its edge overwrites X-Forwarded-For with the client's address,
     * so the app takes that header as is instead of stamping the socket's address (which
     * there is Vercel's own proxy, the same for everyone).
     */
    VERCEL: z.string().optional(),
    PORT: port.default(9000),
    /** Where the app and the director reach LiveKit (server side). */
    LIVEKIT_URL: z.url({ protocol: /^(wss?|https?)$/ }).default("ws://127.0.0.1:7880"),
    /** What browsers are told to connect to. Unset: derived from how the page was reached. */
    LIVEKIT_PUBLIC_URL: z.url({ protocol: /^wss?$/ }).optional(),
    /** The HTTPS entry point's port (phones; `npm start` serves it). */
    HTTPS_PORT: port.default(9443),
    /**
     * The address phones open, e.g. https://192.168.1.20:9443; the "Join from a phone"
     * QR carries it. `npm start` sets it to the LAN URL. Unset: the page's own origin
     * when it was reached over https (a deployment), else no QR.
     */
    PHONE_URL: z.url({ protocol: /^https?$/ }).optional(),
    LIVEKIT_API_KEY: optionalString,
    LIVEKIT_API_SECRET: optionalString,
    /** Admin password for /debug (and the admin pages). Never logged or returned. */
    ADMIN_PASSWORD: optionalString,
    VIDEO_WIDTH: z.coerce.number().int().min(160).max(3840).default(640),
    VIDEO_HEIGHT: z.coerce.number().int().min(120).max(2160).default(480),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(600).default(600),
    /** The agent name the director registers under; tokens dispatch it to new rooms. */
    DIRECTOR_AGENT_NAME: z.string().trim().min(1).max(64).default("director"),
    /** The director's health server (GET / answers 200 once registered with LiveKit). */
    DIRECTOR_HTTP_PORT: port.default(7890),
    DIRECTOR_HTTP_HOST: z.string().default("127.0.0.1"),
    /**
     * Rooms one director process takes. Its load, reported to LiveKit, is
     * activeRooms / DIRECTOR_MAX_ROOMS; LiveKit stops dispatching to a worker at its
     * target load (0.7), so a process takes up to 70 % of this many rooms.
     */
    DIRECTOR_MAX_ROOMS: z.coerce.number().int().min(1).max(1000).default(40),
    /** How often the director looks for channel rooms that have no director, in ms. */
    DIRECTOR_RECONCILE_MS: z.coerce.number().int().min(250).max(60000).default(2000),
    /**
     * The app's public base URL (https://app.example.com). Egress loads the layout page
     * from it, so it must be reachable from the egress container. Unset: derived from
     * the admin's request, which is right whenever the admin uses the public URL.
     */
    APP_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Overrides the layout page's URL for Egress (e.g. an internal address). */
    EGRESS_LAYOUT_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Egress encoding preset; the layout page renders at its size (720p: 1280×720). */
    EGRESS_PRESET: z
      .enum(["H264_720P_30", "H264_720P_60", "H264_1080P_30", "H264_1080P_60"])
      .default("H264_720P_30"),
    /**
     * How /viewer and /egress change pictures: `cut`, or `dissolve` (a 300 ms cross-fade
     * that, like a cut, starts only once the incoming picture has drawn). Screens whose
     * viewer prefers reduced motion cut anyway. Not a secret: the pages get it as a prop.
     */
    PROGRAM_TRANSITION: z
      .enum(PROGRAM_TRANSITIONS, { error: `PROGRAM_TRANSITION must be one of ${PROGRAM_TRANSITIONS.join(", ")}` })
      .default("cut"),
    /**
     * Token requests a minute per client address (sliding minute, each app instance
     * counts its own). At a venue every phone may share one public address, so this is
     * sized for a whole room joining at once, not for one person. 0 = no limit.
     */
    TOKEN_RATE_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(300),
    /** Token requests a minute per browser (its identity cookie). 0 = no limit. */
    TOKEN_RATE_PER_BROWSER_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(20),
    /** Visible participants per channel, checked when a token is minted. */
    MAX_PARTICIPANTS_PER_CHANNEL: z.coerce.number().int().min(1).max(500).default(20),
    /** Hidden viewers (projectors, OBS) per channel, checked when a token is minted. */
    MAX_VIEWERS_PER_CHANNEL: z.coerce.number().int().min(0).max(500).default(10),
    /** Minutes a browser removed by an admin gets no new token. 0 = removal only. */
    REMOVE_BAN_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(10),
    /**
     * Proxies whose X-Forwarded-For is believed: comma-separated addresses or CIDRs, or
     * `loopback`. The embedded HTTPS entry point proves itself with a keyed header and
     * needs no entry here. Unset: only the socket's own address counts.
     */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((v, ctx) => {
        const out: string[] = [];
        for (const raw of v.split(",").map((s) => s.trim()).filter(Boolean)) {
          if (raw === "loopback") {
            out.push("127.0.0.0/8", "::1/128");
            continue;
          }
          const [addr, bits, extra] = raw.split("/");
          const family = isIP(addr ?? "");
          const n = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
          if (!family || extra !== undefined || !Number.isInteger(n) || n < 0 || n > (family === 6 ? 128 : 32)) {
            ctx.addIssue({ code: "custom", message: `"${raw}" is not an IP address, a CIDR range or "loopback"` });
            return z.NEVER;
          }
          out.push(`${addr}/${n}`);
        }
        return out;
      }),
    /**
     * A code people must know to get a token (participants and viewers), for deployments
     * on the internet. The QR code and phone link carry it. Unset: no code.
     */
    JOIN_CODE: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{4,64}$/, { error: "JOIN_CODE must be 4–64 letters, digits, - or _" })
      .optional(),
  })
  .transform((e, ctx) => {
    const production = e.NODE_ENV === "production" && e.CC_EMBEDDED !== "1";
    const apiKey = e.LIVEKIT_API_KEY ?? (production ? undefined : DEV_API_KEY);
    const apiSecret = e.LIVEKIT_API_SECRET ?? (production ? undefined : DEV_API_SECRET);
    if (!apiKey || !apiSecret) {
      ctx.addIssue({
        code: "custom",
        path: ["LIVEKIT_API_KEY"],
        message: "LIVEKIT_API_KEY and LIVEKIT_API_SECRET are required when NODE_ENV=production",
      });
      return z.NEVER;
    }
    if (production && (apiKey === DEV_API_KEY || apiSecret === DEV_API_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: ["LIVEKIT_API_KEY"],
        message: "the embedded default's dev key/secret are refused when NODE_ENV=production",
      });
      return z.NEVER;
    }
    if (apiSecret.length < 32) {
      ctx.addIssue({
        code: "custom",
        path: ["LIVEKIT_API_SECRET"],
        message: "LIVEKIT_API_SECRET must be at least 32 characters (livekit-server rejects shorter ones)",
      });
      return z.NEVER;
    }
    return { ...e, production, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret };
  });

export type Env = z.output<typeof schema>;

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvError";
  }
}

/** Parse an environment (process.env by default). Throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // A blank value (`LIVEKIT_PUBLIC_URL=` copied from .env.example) means "unset".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The parsed process environment, read once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The raw environment, for modules that parse their own section (the switch policy). */
export function rawEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/**
 * What the app (not the director) needs on top of the shared settings: an admin
 * password in production, so /friends, /debug and the admin APIs are never open on a
 * real deployment. Returns the problem, or null. The director does not need it.
 */
export function appEnvProblem(e: Env): string | null {
  if (!e.production) return null;
  if (!e.ADMIN_PASSWORD) {
    return "ADMIN_PASSWORD is required when NODE_ENV=production: set it to a long random string (e.g. `openssl rand -base64 24`); it protects /friends, /debug and the admin APIs.";
  }
  if (e.ADMIN_PASSWORD.length < 12) return "ADMIN_PASSWORD must be at least 12 characters when NODE_ENV=production.";
  if (!e.APP_PUBLIC_URL) {
    // Without it the egress layout URL would have to come from request headers, which
    // any client can set (an admin's browser tricked into a start, or a proxy that
    // passes X-Forwarded-Host through).
    return "APP_PUBLIC_URL is required when NODE_ENV=production: set it to the app's public address (e.g. https://app.example.com); Egress loads the layout page from it.";
  }
  return null;
}

/** LiveKit's HTTP base for the server SDK (it speaks Twirp over http/https). */
export function livekitHttpUrl(e: Env = env()): string {
  return e.LIVEKIT_URL.replace(/^ws/, "http");
}
