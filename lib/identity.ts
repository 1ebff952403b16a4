/**
 * Server-assigned identities. A participant keeps one identity per browser (an
 * httpOnly cookie), so a reload rejoins as the same participant and two people who
 * both type "Sam" never collide.
 */
import { randomBytes } from "node:crypto";
import { PARTICIPANT_IDENTITY_PREFIX, VIEWER_IDENTITY_PREFIX } from "@/lib/livekit/grants";
import type { Role } from "@/lib/schemas";

export const IDENTITY_COOKIE = "cc_pid";
export const IDENTITY_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;
const COOKIE_RE = /^[A-Za-z0-9_-]{16,64}$/;

export function newBrowserId(): string {
  return randomBytes(12).toString("base64url");
}

/** The cookie's value if it is one we issued, else null (a tampered value is replaced). */
export function validBrowserId(value: string | undefined): string | null {
  return value && COOKIE_RE.test(value) ? value : null;
}

export function identityFor(role: Role, browserId: string): string {
  if (role === "participant") return `${PARTICIPANT_IDENTITY_PREFIX}${browserId}`;
  // Viewers are hidden and several may run in one browser (projector + preview):
  // each tab gets its own identity so they never knock each other out.
  return `${VIEWER_IDENTITY_PREFIX}${browserId}_${randomBytes(3).toString("hex")}`;
}
