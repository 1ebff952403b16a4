/**
 * The admin session cookie: `<expiresAtMs>.<nonce>.<hmac>`, signed with a key derived
 * from the admin password and the LiveKit API secret. Stateless on purpose: any app
 * instance that has the same two secrets verifies it, and changing the password ends
 * every session. Pure (node:crypto only) so it is unit-tested.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "cc_admin";
/** A working day plus an evening event; the admin signs in again after it. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export function sessionKey(adminPassword: string, apiSecret: string): Buffer {
  return createHash("sha256").update(`cc-admin-session-v1\0${apiSecret}\0${adminPassword}`).digest();
}

function sign(key: Buffer, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

export function createSession(key: Buffer, now = Date.now(), ttlMs = SESSION_TTL_MS): { value: string; expiresAt: number } {
  const expiresAt = now + ttlMs;
  const payload = `${expiresAt}.${randomBytes(12).toString("base64url")}`;
  return { value: `${payload}.${sign(key, payload)}`, expiresAt };
}

const SESSION_RE = /^(\d{13,15})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

/** True when the value was signed with this key and has not expired. */
export function verifySession(key: Buffer, value: string | undefined | null, now = Date.now()): boolean {
  if (!value) return false;
  const m = SESSION_RE.exec(value);
  if (!m) return false;
  const [, exp, nonce, sig] = m as unknown as [string, string, string, string];
  const expected = Buffer.from(sign(key, `${exp}.${nonce}`));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return Number(exp) > now;
}

/** One cookie's value out of a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      // `cc_admin=%` is malformed percent-encoding: no session, never a 500.
      return raw;
    }
  }
  return undefined;
}
