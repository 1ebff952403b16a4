import { describe, expect, it } from "vitest";
import { BanList } from "@/lib/bans";
import {
  browserCookie,
  identityFor,
  identityKey,
  newBrowserId,
  publicIdOf,
  publicIdOfIdentity,
  verifyBrowserCookie,
} from "@/lib/identity";
import { clientAddress, entryProof, normalizeAddress, trustedList, ENTRY_PROOF_HEADER, PEER_HEADER } from "@/lib/net/client-address";
import { parseEnv } from "@/lib/env";
import { phoneJoinUrl } from "@/lib/public-url";
import { nameSchema } from "@/lib/schemas";
import { eventKey, SeenEvents, tokenExpiryMs } from "@/lib/webhook/replay";
import { entryProof as entryProofMjs } from "../../scripts/lib/https-entry.mjs";

const KEY = identityKey("s".repeat(40));

describe("identities", () => {
  it("derive the public identity with a keyed hash: the identity never contains the cookie", () => {
    const id = newBrowserId();
    const cookie = browserCookie(KEY, id);
    const identity = identityFor("participant", publicIdOf(KEY, id));
    expect(identity).toMatch(/^p_[A-Za-z0-9_-]{22}$/);
    expect(identity).not.toContain(id);
    expect(cookie).toContain(id);
    // the same browser always maps to the same identity (a reload rejoins as itself)
    expect(identityFor("participant", publicIdOf(KEY, verifyBrowserCookie(KEY, cookie)!))).toBe(identity);
    // another key (another deployment's secret) gives another identity
    expect(publicIdOf(identityKey("t".repeat(40)), id)).not.toBe(publicIdOf(KEY, id));
  });

  it("refuse cookies that do not verify: the old format, an identity, a forged MAC, junk", () => {
    const id = newBrowserId();
    const pub = publicIdOf(KEY, id);
    for (const bad of [id, pub, `p_${pub}`, `${pub}.${pub}`, `${id}.${"A".repeat(22)}`, "%", "", "a.b", `${id}.${browserCookie(KEY, id).split(".")[1]}x`]) {
      expect(verifyBrowserCookie(KEY, bad)).toBeNull();
    }
    expect(verifyBrowserCookie(identityKey("t".repeat(40)), browserCookie(KEY, id))).toBeNull();
  });

  it("give viewers a tab suffix and map both roles back to the browser's public id", () => {
    const pub = publicIdOf(KEY, newBrowserId());
    const v = identityFor("viewer", pub);
    expect(v).toMatch(/^v_.{22}_[0-9a-f]{6}$/);
    expect(identityFor("viewer", pub)).not.toBe(v);
    expect(publicIdOfIdentity(v)).toBe(pub);
    expect(publicIdOfIdentity(`p_${pub}`)).toBe(pub);
    expect(publicIdOfIdentity("director-AJ_1")).toBeNull();
  });
});

describe("client addresses", () => {
  const nonce = "nonce-of-this-process";
  const proof = entryProof("s".repeat(40));
  const ctx = (trusted: string[] = []) => ({ trusted: trustedList(trusted), proof, nonce });
  const h = (o: Record<string, string>) => new Headers(o);

  it("use the socket, not a forged X-Forwarded-For, for a direct client", () => {
    expect(clientAddress(h({ "x-forwarded-for": "6.6.6.6", [PEER_HEADER]: `${nonce} 10.0.0.7 1` }), ctx())).toBe("10.0.0.7");
    expect(clientAddress(h({ "x-forwarded-for": "10.0.0.7", [PEER_HEADER]: `${nonce} ::ffff:10.0.0.7 0` }), ctx())).toBe("10.0.0.7");
  });

  it("ignore a peer stamp with the wrong nonce (a client forging it)", () => {
    expect(clientAddress(h({ "x-forwarded-for": "6.6.6.6", [PEER_HEADER]: "guess 1.1.1.1 0" }), ctx())).toBe("6.6.6.6");
  });

  it("believe the hop the HTTPS entry point appends, only with its proof", () => {
    const viaEntry = { "x-forwarded-for": "6.6.6.6, 192.168.1.50", [PEER_HEADER]: `${nonce} 127.0.0.1 1` };
    expect(clientAddress(h({ ...viaEntry, [ENTRY_PROOF_HEADER]: proof }), ctx())).toBe("192.168.1.50");
    expect(clientAddress(h({ ...viaEntry, [ENTRY_PROOF_HEADER]: "wrong" }), ctx())).toBe("127.0.0.1");
    expect(clientAddress(h(viaEntry), ctx())).toBe("127.0.0.1");
  });

  it("walk X-Forwarded-For through TRUSTED_PROXIES only", () => {
    const headers = h({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.1.2.3", [PEER_HEADER]: `${nonce} 10.1.2.4 1` });
    expect(clientAddress(headers, ctx(["10.0.0.0/8"]))).toBe("203.0.113.9");
    expect(clientAddress(headers, ctx([]))).toBe("10.1.2.4");
  });

  it("without a peer stamp (a platform's edge), take the last hop", () => {
    expect(clientAddress(h({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }), { ...ctx(), nonce: undefined })).toBe("203.0.113.9");
    expect(clientAddress(h({}), { ...ctx(), nonce: undefined })).toBe("unknown");
    expect(clientAddress(h({ "x-forwarded-for": "not-an-ip" }), { ...ctx(), nonce: undefined })).toBe("invalid");
  });

  it("normalise addresses", () => {
    expect(normalizeAddress("::FFFF:1.2.3.4")).toBe("1.2.3.4");
    expect(normalizeAddress("[2001:db8::1]")).toBe("2001:db8::1");
    expect(normalizeAddress("1.2.3.4:555")).toBe("1.2.3.4");
    expect(normalizeAddress("x")).toBeNull();
  });

  it("derive the entry point's proof the same way in the entry point and the app", () => {
    expect(entryProofMjs("abc".repeat(12))).toBe(entryProof("abc".repeat(12)));
  });

  it("parse TRUSTED_PROXIES, refusing what is not an address", () => {
    expect(parseEnv({ TRUSTED_PROXIES: "loopback, 10.0.0.0/8, 2001:db8::1" }).TRUSTED_PROXIES).toEqual([
      "127.0.0.0/8",
      "::1/128",
      "10.0.0.0/8",
      "2001:db8::1/128",
    ]);
    expect(() => parseEnv({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseEnv({ TRUSTED_PROXIES: "proxy.example.com" })).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("names", () => {
  it.each([
    ["right-to-left override", "Sam\u202Egnp.exe"],
    ["left-to-right embedding", "\u202AAnn"],
    ["first strong isolate", "Ann\u2068x\u2069"],
    ["right-to-left mark", "Ann\u200F"],
    ["arabic letter mark", "\u061CAnn"],
    ["zero-width space", "S\u200Bam"],
    ["zero-width non-joiner", "Sa\u200Cm"],
    ["zero-width joiner between letters", "Sa\u200Dm"],
    ["word joiner", "Sam\u2060"],
    ["byte order mark", "Sa\uFEFFm"],
    ["soft hyphen", "Sa\u00ADm"],
  ])("refuses a %s", (_, name) => {
    expect(nameSchema.safeParse(name).success).toBe(false);
  });

  it.each(["Sam", "José", "שרה", "محمد", "李雷", "Ann 👩‍💻", "👨‍👩‍👧 family", "Zoë-Luise O'Brien"])("accepts %s", (name) => {
    expect(nameSchema.safeParse(name).success).toBe(true);
  });
});

describe("webhook replays", () => {
  it("are refused while the signature is valid, and forgotten after", () => {
    const seen = new SeenEvents();
    expect(seen.firstSighting("id:EV_1", 2000, 1000)).toBe(true);
    expect(seen.firstSighting("id:EV_1", 2000, 1500)).toBe(false);
    expect(seen.firstSighting("id:EV_1", 4000, 2500)).toBe(true);
  });

  it("read the validity from the token, and key events by id or body", () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_700_000_300 })).toString("base64url");
    expect(tokenExpiryMs(`x.${payload}.y`, 1_700_000_000_000)).toBe(1_700_000_300_000);
    expect(tokenExpiryMs("junk", 5)).toBe(5 + 600_000);
    expect(eventKey("EV_1", "{}")).toBe("id:EV_1");
    expect(eventKey(undefined, "{}")).toMatch(/^sha256:/);
  });

  it("keep memory bounded", () => {
    const seen = new SeenEvents(100);
    for (let i = 0; i < 1000; i++) seen.firstSighting(`id:${i}`, 1e12, 0);
    expect(seen.firstSighting("id:999", 1e12, 1)).toBe(false);
  });
});

describe("bans", () => {
  it("last the given time, then lift", () => {
    const b = new BanList();
    b.ban("pub", 10 * 60_000, 0);
    expect(b.bannedForS("pub", 1000)).toBe(599);
    expect(b.bannedForS("other", 1000)).toBe(0);
    expect(b.bannedForS("pub", 10 * 60_000)).toBe(0);
  });
});

describe("the phone link", () => {
  it("carries the join code", () => {
    expect(phoneJoinUrl("https://10.0.0.2:9443", 3, "abc-123")).toBe("https://10.0.0.2:9443/?channel=3&code=abc-123");
    expect(phoneJoinUrl("https://10.0.0.2:9443", null, null)).toBe("https://10.0.0.2:9443/");
  });
});
