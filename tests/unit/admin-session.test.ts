import { describe, expect, it } from "vitest";
import { createSession, readCookie, sessionKey, SESSION_TTL_MS, verifySession } from "@/lib/admin/session";

const key = sessionKey("correct horse battery staple", "s".repeat(40));

describe("admin session cookie", () => {
  it("verifies what it signed until it expires", () => {
    const now = 1_800_000_000_000;
    const { value, expiresAt } = createSession(key, now);
    expect(expiresAt).toBe(now + SESSION_TTL_MS);
    expect(verifySession(key, value, now + 1000)).toBe(true);
    expect(verifySession(key, value, expiresAt - 1)).toBe(true);
    expect(verifySession(key, value, expiresAt)).toBe(false);
  });

  it("refuses another key: a new password or API secret ends every session", () => {
    const { value } = createSession(key);
    expect(verifySession(sessionKey("another password", "s".repeat(40)), value)).toBe(false);
    expect(verifySession(sessionKey("correct horse battery staple", "t".repeat(40)), value)).toBe(false);
  });

  it("refuses a tampered expiry, nonce or signature, and junk", () => {
    const { value } = createSession(key);
    const [exp, nonce, sig] = value.split(".") as [string, string, string];
    expect(verifySession(key, `${Number(exp) + 1}.${nonce}.${sig}`)).toBe(false);
    expect(verifySession(key, `${exp}.${nonce.replace(/^./, nonce[0] === "A" ? "B" : "A")}.${sig}`)).toBe(false);
    expect(verifySession(key, `${exp}.${nonce}.${sig.replace(/.$/, sig.endsWith("A") ? "B" : "A")}`)).toBe(false);
    for (const junk of ["", "x", "1.2.3", `${exp}.${nonce}`, `${value}.extra`, undefined, null]) expect(verifySession(key, junk)).toBe(false);
  });

  it("reads one cookie out of a Cookie header", () => {
    expect(readCookie("a=1; cc_admin=abc.def; b=2", "cc_admin")).toBe("abc.def");
    expect(readCookie("cc_admin_x=1", "cc_admin")).toBeUndefined();
    expect(readCookie(null, "cc_admin")).toBeUndefined();
    // malformed percent-encoding is a value that verifies as nothing, not an exception
    expect(readCookie("cc_admin=%", "cc_admin")).toBe("%");
    expect(verifySession(sessionKey("pw", "s".repeat(32)), readCookie("cc_admin=%E0%A4%A", "cc_admin"))).toBe(false);
  });
});
