/**
 * Server-assigned identities that cannot be forged. A browser keeps a random browser
 * id in an httpOnly cookie, signed by the server (`<id>.<mac>`); its public identity
 * is a keyed hash of that id. Identities are public (/status, the roster, the program
 * metadata), but nothing in them yields the cookie: without the server secret nobody
 * can compute the browser id behind an identity, nor make a cookie that verifies. A
 * cookie that does not verify gets a fresh browser id, never someone else's.
 *
 * A reload sends the same cookie and rejoins as the same participant; two people who
 * both type "Sam" have different cookies and never collide. Pure (node:crypto only),
 * keyed by the caller, so it is unit-tested; any app instance with the same LiveKit
 * secret derives the same identities without shared state.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { PARTICIPANT_IDENTITY_PREFIX, VIEWER_IDENTITY_PREFIX } from "@/lib/livekit/grants";
import type { Role } from "@/lib/schemas";

export const IDENTITY_COOKIE = "cc_pid";
export const IDENTITY_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

/** 128 random bits, base64url. */
const ID_RE = /^[A-Za-z0-9_-]{22}$/;
const COOKIE_RE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/** The identity key, derived from the LiveKit API secret (domain-separated from every other use of it). */
export function identityKey(apiSecret: string): Buffer {
  return createHash("sha256").update(`cc-identity-v1\0${apiSecret}`).digest();
}

function mac(key: Buffer, purpose: string, id: string): string {
  // 128 bits of HMAC-SHA256: unforgeable, and short enough for an identity.
  return createHmac("sha256", key).update(`${purpose}\0${id}`).digest().subarray(0, 16).toString("base64url");
}

export function newBrowserId(): string {
  return randomBytes(16).toString("base64url");
}

/** The cookie value for a browser id: the id and its MAC. */
export function browserCookie(key: Buffer, browserId: string): string {
  return `${browserId}.${mac(key, "cookie", browserId)}`;
}

/** The browser id in a cookie we issued, else null (a tampered, old or foreign value is replaced). */
export function verifyBrowserCookie(key: Buffer, value: string | undefined | null): string | null {
  if (!value) return null;
  const m = COOKIE_RE.exec(value);
  if (!m) return null;
  const [, id, sig] = m as unknown as [string, string, string];
  if (!ID_RE.test(id)) return null;
  const expected = Buffer.from(mac(key, "cookie", id));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/**
 * The public id of a browser: what its identities carry, and what a ban names. A keyed
 * hash, so knowing it does not help to obtain a token for it.
 */
export function publicIdOf(key: Buffer, browserId: string): string {
  return mac(key, "identity", browserId);
}

export function identityFor(role: Role, publicId: string): string {
  if (role === "participant") return `${PARTICIPANT_IDENTITY_PREFIX}${publicId}`;
  // Viewers are hidden and several may run in one browser (projector + preview):
  // each tab gets its own identity so they never knock each other out.
  return `${VIEWER_IDENTITY_PREFIX}${publicId}_${randomBytes(3).toString("hex")}`;
}

const IDENTITY_RE = /^(?:p_([A-Za-z0-9_-]{22})|v_([A-Za-z0-9_-]{22})_[0-9a-f]{6})$/;

/** The public browser id inside a participant's or viewer's identity, or null when it is not one of ours. */
export function publicIdOfIdentity(identity: string): string | null {
  const m = IDENTITY_RE.exec(identity);
  return m ? (m[1] ?? m[2] ?? null) : null;
}
