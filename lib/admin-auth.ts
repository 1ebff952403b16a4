import "server-only";

import { timingSafeEqual, createHash } from "node:crypto";
import { ApiError } from "@/lib/api-error";
import { env } from "@/lib/env";

function sameSecret(given: string, expected: string): boolean {
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The password a request presents: `Authorization: Bearer <pw>` or HTTP Basic (any user). */
export function presentedPassword(req: Request): string | null {
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
 * Require the admin password when ADMIN_PASSWORD is set; throws a 401 ApiError.
 * Without ADMIN_PASSWORD (the embedded default on one machine) access is open.
 */
export function requireAdmin(req: Request): void {
  const expected = env().ADMIN_PASSWORD;
  if (!expected) return;
  const given = presentedPassword(req);
  if (given !== null && sameSecret(given, expected)) return;
  throw new ApiError(
    "unauthorized",
    given === null ? "admin credentials required" : "wrong admin credentials",
    undefined,
    { "WWW-Authenticate": 'Basic realm="Conference Camera admin", charset="UTF-8"' },
  );
}
