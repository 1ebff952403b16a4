/**
 * Webhook replay protection. LiveKit signs each call with a JWT that covers the body's
 * hash and expires (5 minutes after it was sent); within that window a captured call
 * would verify again. So each verified event is remembered until its token expires,
 * and a second delivery of it is acknowledged (200, so LiveKit stops retrying) but
 * changes nothing. Pure and in memory: per app instance (a replay aimed at another
 * instance behind a load balancer is not caught; its only effects are an attribute
 * stamp and a duplicate line in the activity log).
 */
import { createHash } from "node:crypto";

/** When the webhook's token expires (its `exp`, in ms), or `fallbackMs` from now if it has none. */
export function tokenExpiryMs(authorization: string | null | undefined, now = Date.now(), fallbackMs = 10 * 60_000): number {
  const payload = authorization?.replace(/^Bearer\s+/i, "").split(".")[1];
  if (payload) {
    try {
      const exp = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown }).exp;
      if (typeof exp === "number" && Number.isFinite(exp)) return Math.min(exp * 1000, now + 24 * 3600_000);
    } catch {
      // not JSON: use the fallback
    }
  }
  return now + fallbackMs;
}

/** The event's id, or the body's hash when it has none. */
export function eventKey(id: unknown, rawBody: string): string {
  return typeof id === "string" && id ? `id:${id}` : `sha256:${createHash("sha256").update(rawBody).digest("base64url")}`;
}

export class SeenEvents {
  private readonly until = new Map<string, number>();

  constructor(private readonly maxEntries = 50_000) {}

  /** True the first time a key is seen within its validity; false for a replay. */
  firstSighting(key: string, validUntilMs: number, now = Date.now()): boolean {
    const t = this.until.get(key);
    if (t !== undefined && t > now) return false;
    this.until.set(key, validUntilMs);
    if (this.until.size > this.maxEntries) {
      for (const [k, v] of this.until) if (v <= now) this.until.delete(k);
      // Still full of valid entries (a flood of signed events cannot come from anyone
      // but LiveKit): forget the oldest.
      while (this.until.size > this.maxEntries) this.until.delete(this.until.keys().next().value!);
    }
    return true;
  }
}
