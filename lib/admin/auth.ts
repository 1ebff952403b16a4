import "server-only";

import { timingSafeEqual, createHash } from "node:crypto";
import { ApiError } from "@/lib/api-error";
import { FailureLimiter } from "@/lib/admin/rate-limit";
import { readCookie, SESSION_COOKIE, sessionKey, verifySession } from "@/lib/admin/session";
import { env } from "@/lib/env";
import { requestClient } from "@/lib/net/request-client";

function sameSecret(given: string, expected: string): boolean {
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The password a request presents: `Authorization: Bearer <pw>` or HTTP Basic (any user). */
export function presentedPassword(req: { headers: Headers }): string | null {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const [scheme, value] = header.split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/**
 * 5 failed passwords per client per minute. Only that client is refused: there is no
 * global cap, so a flood of failures from anyone else (forged addresses included)
 * never locks the admin out. The client is an address it cannot choose
 * (lib/net/client-address.ts: X-Forwarded-For only from trusted proxies).
 */
const limiter = new FailureLimiter({ max: 5, windowMs: 60_000 });

export type AdminVia = "open" | "session" | "password";

function sessionKeyFor(password: string): Buffer {
  return sessionKey(password, env().LIVEKIT_API_SECRET);
}

export function adminSessionKey(): Buffer | null {
  const pw = env().ADMIN_PASSWORD;
  return pw ? sessionKeyFor(pw) : null;
}

/** Check a password, counting failures per client; throws 429 while the client is blocked. */
export function checkPassword(headers: Headers, given: string): boolean {
  const expected = env().ADMIN_PASSWORD;
  const client = requestClient(headers);
  const verdict = limiter.check(client);
  if (verdict.blocked) {
    throw new ApiError("too_many_requests", "too many failed sign-ins; try again later", { retryAfterS: verdict.retryAfterS }, {
      "Retry-After": String(verdict.retryAfterS),
    });
  }
  if (expected && sameSecret(given, expected)) {
    limiter.succeed(client);
    return true;
  }
  limiter.fail(client);
  return false;
}

/**
 * Who the request is, as an admin: a valid session cookie, or the password by Bearer
 * or Basic (scripts). Throws 401 without either, 429 while a client is blocked after
 * failed passwords, 503 in production without ADMIN_PASSWORD (fail closed).
 */
export function adminAuth(req: { headers: Headers }): AdminVia {
  const e = env();
  const expected = e.ADMIN_PASSWORD;
  if (!expected) {
    if (e.production) throw new ApiError("upstream_unavailable", "admin is disabled: ADMIN_PASSWORD is not set");
    // CAUTION: no password outside production (a developer's `next dev`) leaves the
    // admin open. `npm start` always sets one, generating it when unset.
    return "open";
  }
  if (verifySession(sessionKeyFor(expected), readCookie(req.headers.get("cookie"), SESSION_COOKIE))) return "session";
  const given = presentedPassword(req);
  if (given !== null && checkPassword(req.headers, given)) return "password";
  // No `WWW-Authenticate: Basic` challenge: it would make browsers pop up their own
  // password dialog (a phishing-friendly prompt outside our sign-in page). Scripts
  // still send Basic or Bearer unasked.
  throw new ApiError("unauthorized", given === null ? "admin credentials required" : "wrong admin credentials");
}

/** Require an admin (session cookie, Bearer or Basic); throws a typed 401/429 ApiError. */
export function requireAdmin(req: Request): void {
  adminAuth(req);
}

/** For server components: is this request an admin? Never throws for a missing login. */
export function isAdmin(headers: Headers): boolean {
  try {
    adminAuth({ headers });
    return true;
  } catch {
    return false;
  }
}

/**
 * CSRF: a state change must come from our own origin. Browsers send Origin (and
 * Sec-Fetch-Site) on every POST; a script using the Bearer header sends neither and
 * is no CSRF risk, since a browser never adds that header by itself.
 */
export function requireSameOrigin(req: { headers: Headers; url: string }, via: AdminVia): void {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new ApiError("forbidden", "cross-site request refused");
  const origin = req.headers.get("origin");
  if (!origin) {
    if (via === "password") return;
    throw new ApiError("forbidden", "missing Origin header on a state-changing request");
  }
  const host = (req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host).split(",")[0]!.trim();
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ApiError("forbidden", "malformed Origin header");
  }
  if (originHost !== host) throw new ApiError("forbidden", "cross-origin request refused");
}

/** The admin for a state-changing POST: credentials, then the same-origin check. */
export function requireAdminPost(req: Request): AdminVia {
  const via = adminAuth(req);
  requireSameOrigin(req, via);
  return via;
}

/** "password" when admins must sign in; "open" on a development machine without one. */
export function adminMode(): "password" | "open" {
  return env().ADMIN_PASSWORD || env().production ? "password" : "open";
}
