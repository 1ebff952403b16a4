/**
 * Property-based fuzzing of every public and admin endpoint (fast-check, seeded, so
 * every run sends the same cases): random methods, query strings, headers (cookies,
 * credentials, content types, forwarding headers), and bodies from junk to almost
 * valid. The property: the app never answers 5xx, and every JSON error it sends has
 * `{ error, code }`. Runs against the stack's app from a loopback address of its own,
 * so its failed sign-ins never count against the other suites' clients.
 *
 * The only 5xx a valid request may get is the egress API's 503 "Egress is not
 * deployed": the embedded stack has no Egress, which is the deployment's state, not a
 * bad input; it is allowed for admin-authenticated egress calls only.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { AccessToken } from "livekit-server-sdk";
import { afterAll, describe, expect, it } from "vitest";
import { EGRESS_NOT_DEPLOYED } from "@/lib/egress/errors";
import { rawRequest, type RawResponse } from "../helpers/raw-http";
import { adminPassword } from "../helpers/secrets";
import { stackEnv } from "../helpers/stack-env";
import { testKeys } from "../helpers/tokens";

const { appUrl } = stackEnv();
const FROM = "127.0.0.201";
const keys = testKeys();

// Header values: printable ASCII (what an HTTP client can send at all).
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const headerText = (maxLength = 40) => fc.string({ unit: printable, maxLength });
const junkWords = fc.constantFrom("%", "%%", "%E0%A4%A", "%00", "\\", '"', "'", ";", "=", ",", "..", "null", "undefined", "[]", "{}", "-1", "1e309", "NaN");
const text = fc.oneof(headerText(), junkWords, fc.string({ maxLength: 20 }).map(encodeURIComponent));

const cookie = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom("cc_admin", "cc_pid", "cc_admin ", "CC_ADMIN", "x"), headerText(8).filter((s) => !/[=;]/.test(s))),
      fc.oneof(text, fc.constantFrom("%", "1.2.3", "9999999999999.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a".repeat(22) + "." + "b".repeat(22))),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("; "));

const authorization = fc.oneof(
  fc.constantFrom("Bearer", "Bearer ", "Basic", "Basic %%%", "Basic " + Buffer.from("no-colon").toString("base64"), "Digest x", "bearer  x"),
  fc.tuple(fc.constantFrom("Bearer", "Basic", "Token", "bearer"), headerText(60)).map(([s, v]) => `${s} ${v}`),
  headerText(30).map((v) => `Basic ${Buffer.from(`admin:${v}`).toString("base64")}`),
);

const headersArb = (admin: boolean) =>
  fc
    .record(
      {
        cookie,
        authorization: admin ? fc.oneof(authorization, fc.constant(`Bearer ${adminPassword()}`)) : authorization,
        "content-type": fc.oneof(
          fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/webhook+json"),
          headerText(30),
        ),
        accept: fc.constantFrom("application/json", "text/html", "*/*", "text/event-stream", "text/html;q=0.1"),
        origin: fc.oneof(fc.constant(appUrl), fc.constantFrom("null", "https://evil.example", "http://127.0.0.1", "%"), headerText(20)),
        "sec-fetch-site": fc.constantFrom("same-origin", "cross-site", "none", "same-site", "x"),
        "x-forwarded-for": fc.oneof(fc.ipV4(), fc.ipV6(), text, fc.constant("1.2.3.4, 5.6.7.8")),
        "x-forwarded-host": fc.oneof(fc.domain(), text),
        "x-forwarded-proto": fc.constantFrom("http", "https", "wss", "", "https,http", "%"),
        "x-cc-peer": text,
        "x-cc-entry": text,
        "if-none-match": text,
        range: fc.constantFrom("bytes=0-1", "bytes=-1", "x"),
      },
      { requiredKeys: [] },
    )
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);

const query = fc.oneof(
  fc.constant(""),
  fc.dictionary(fc.oneof(fc.constantFrom("channel", "clean", "code", "role", "layout", "url", "token"), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String)), { maxKeys: 4 }).map(
    (d) => `?${new URLSearchParams(d).toString()}`,
  ),
  fc.constantFrom("?", "?%", "?channel=%E0%A4%A", "?channel=1&channel=2", "?channel[]=3", "?clean", "?channel=-0", "?channel=1e3", "?code=%00"),
);

const nameArb = fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom("Sam", "Sam\u202E", "S\u200Bam", "<b>", "", "  ", "x".repeat(41), "👩‍💻", "\uFEFF"));
const channelArb = fc.oneof(fc.integer({ min: -2, max: 23 }), fc.double(), fc.string({ maxLength: 4 }), fc.constant(null), fc.boolean());
const identityArb = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("p_x", "v_x_000000", "director-x", "p_" + "a".repeat(22), null, 3));

/** Bodies from junk to almost valid, for one endpoint's shape. */
function bodyArb(shape: fc.Arbitrary<unknown>): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 4, arbitrary: shape.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "[]", "null", '{"__proto__":{"x":1}}', "\u0000", '{"name":"a","channel":1,"name":"b"}') },
    { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 20_000 }).map((n) => JSON.stringify({ pad: "x".repeat(n) })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const tokenShape = fc.record(
  { name: nameArb, channel: channelArb, role: fc.oneof(fc.constantFrom("participant", "viewer", "admin", ""), fc.integer()), code: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()), extra: fc.anything() },
  { requiredKeys: [] },
);
const targetShape = fc.record({ channel: channelArb, identity: identityArb, extra: fc.jsonValue() }, { requiredKeys: [] });
const roleShape = fc.record(
  { channel: channelArb, identity: identityArb, role: fc.oneof(fc.constantFrom("auto", "favor", "never", "FAVOR", ""), fc.integer(), fc.constant(null)), extra: fc.jsonValue() },
  { requiredKeys: [] },
);
const takeShape = fc.record(
  { channel: channelArb, identity: identityArb, shot: fc.oneof(fc.constantFrom("speaker", "wide", "Wide", ""), fc.jsonValue()), extra: fc.jsonValue() },
  { requiredKeys: [] },
);
const shotLengthShape = fc.record(
  { channel: channelArb, ms: fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.double(), fc.constant(null), fc.string({ maxLength: 6 })), extra: fc.jsonValue() },
  { requiredKeys: [] },
);
const egressShape = fc.record(
  {
    channel: channelArb,
    layout: fc.oneof(fc.constantFrom("program", "program-strip", "grid"), fc.string({ maxLength: 10 })),
    output: fc.oneof(
      fc.record({ type: fc.constantFrom("file", "rtmp", "hls", "x"), filepath: fc.string({ maxLength: 30 }), urls: fc.array(fc.oneof(fc.webUrl(), fc.string({ maxLength: 20 })), { maxLength: 4 }), segmentDuration: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    egressId: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
);
const webhookShape = fc.record(
  {
    id: fc.string({ maxLength: 20 }),
    event: fc.oneof(fc.constantFrom("room_finished", "track_published", "participant_joined", "egress_started"), fc.string({ maxLength: 12 })),
    room: fc.oneof(fc.record({ name: fc.string({ maxLength: 12 }) }), fc.jsonValue()),
    participant: fc.oneof(fc.record({ identity: fc.string({ maxLength: 12 }), name: fc.string({ maxLength: 12 }) }), fc.jsonValue()),
    createdAt: fc.oneof(fc.integer(), fc.string({ maxLength: 12 }), fc.double()),
    track: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

interface Endpoint {
  path: string;
  methods: string[];
  runs: number;
  body?: fc.Arbitrary<unknown>;
  admin?: boolean;
  /** sign some bodies as LiveKit would (the webhook) */
  signed?: boolean;
  page?: boolean;
}

const ENDPOINTS: Endpoint[] = [
  { path: "/api/token", methods: ["POST"], runs: 1300, body: tokenShape },
  { path: "/api/admin/login", methods: ["POST"], runs: 400, body: fc.record({ password: fc.oneof(fc.string({ maxLength: 600 }), fc.integer()) }, { requiredKeys: [] }) },
  { path: "/api/admin/logout", methods: ["POST"], runs: 150, body: fc.jsonValue() },
  { path: "/api/admin/pin", methods: ["POST"], runs: 350, body: targetShape, admin: true },
  { path: "/api/admin/mute", methods: ["POST"], runs: 300, body: targetShape, admin: true },
  { path: "/api/admin/remove", methods: ["POST"], runs: 300, body: targetShape, admin: true },
  { path: "/api/admin/director-role", methods: ["POST"], runs: 200, body: roleShape, admin: true },
  { path: "/api/admin/take", methods: ["POST"], runs: 200, body: takeShape, admin: true },
  { path: "/api/admin/shot-length", methods: ["POST"], runs: 200, body: shotLengthShape, admin: true },
  { path: "/api/admin/friends", methods: ["GET"], runs: 250, admin: true },
  { path: "/api/admin/friends/stream", methods: ["GET"], runs: 150, admin: true },
  { path: "/api/admin/egress", methods: ["GET", "POST"], runs: 300, body: egressShape, admin: true },
  { path: "/api/admin/egress/stop", methods: ["POST"], runs: 250, body: egressShape, admin: true },
  { path: "/api/webhooks/livekit", methods: ["POST"], runs: 550, body: webhookShape, signed: true },
  { path: "/status", methods: ["GET"], runs: 250 },
  { path: "/debug", methods: ["GET"], runs: 200, admin: true },
  { path: "/", methods: ["GET"], runs: 80, page: true },
  { path: "/viewer", methods: ["GET"], runs: 80, page: true },
  { path: "/friends", methods: ["GET"], runs: 60, page: true, admin: true },
  { path: "/login", methods: ["GET"], runs: 60, page: true },
  { path: "/egress", methods: ["GET"], runs: 60, page: true },
];

const OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];
const counts: Record<string, { cases: number; statuses: Record<number, number> }> = {};

async function sign(body: string): Promise<string> {
  const at = new AccessToken(keys.key, keys.secret, { ttl: 60 });
  at.sha256 = createHash("sha256").update(body).digest("base64");
  return at.toJwt();
}

function seedOf(path: string): number {
  return createHash("sha256").update(`cc-fuzz-v1 ${path}`).digest().readUInt32BE(0);
}

function check(ep: Endpoint, method: string, headers: Record<string, string>, res: RawResponse): void {
  const what = `${method} ${ep.path} → ${res.status} ${res.text.slice(0, 200)}`;
  const egressDown =
    res.status === 503 &&
    ep.path.startsWith("/api/admin/egress") &&
    headers.authorization === `Bearer ${adminPassword()}` &&
    (method === "HEAD" || res.text.includes(JSON.stringify(EGRESS_NOT_DEPLOYED).slice(1, 40)));
  if (!egressDown) expect(res.status, what).toBeLessThan(500);
  if (String(res.headers["content-type"] ?? "").includes("application/json") && res.status >= 400 && method !== "HEAD") {
    const body = res.json();
    expect(typeof body.error, what).toBe("string");
    expect(typeof body.code, what).toBe("string");
  }
}

describe("fuzzing every endpoint: no 5xx for any input", () => {
  afterAll(() => {
    const total = Object.values(counts).reduce((n, c) => n + c.cases, 0);
    const lines = Object.entries(counts).map(([p, c]) => `  ${p.padEnd(28)} ${String(c.cases).padStart(5)} cases  ${JSON.stringify(c.statuses)}`);
    console.log(`fuzz: ${total} cases\n${lines.join("\n")}`);
  });

  // Endpoints run side by side (maxConcurrency in vitest.integration.config.mts); each
  // one's cases run in order, so its seed gives the same sequence every run.
  it.concurrent.each(ENDPOINTS.map((ep) => [ep.path, ep] as const))("%s", async (_, ep) => {
    const stats = (counts[ep.path] = { cases: 0, statuses: {} as Record<number, number> });
    const method = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ep.methods) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) });
    const arb = fc.record({
      method,
      query,
      headers: headersArb(ep.admin === true),
      body: ep.body ? bodyArb(ep.body) : fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 })),
      sign: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ method: m, query: q, headers, body, sign: doSign }) => {
        const sendBody = m !== "GET" && m !== "HEAD" && m !== "OPTIONS" ? body : undefined;
        const h = { ...headers };
        if (ep.signed && doSign && sendBody !== undefined) h.authorization = await sign(sendBody);
        const res = await rawRequest(`${appUrl}${ep.path}${q}`, { method: m, headers: h, body: sendBody, from: FROM, timeoutMs: 20_000 });
        stats.cases++;
        stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
        check(ep, m, h, res);
      }),
      { numRuns: ep.runs, seed: seedOf(ep.path), endOnFailure: true },
    );
    expect(stats.cases).toBe(ep.runs);
  }, 240_000);

  it("sent at least 5,000 cases in all, to every endpoint", () => {
    expect(Object.keys(counts).sort()).toEqual(ENDPOINTS.map((e) => e.path).sort());
    expect(Object.values(counts).reduce((n, c) => n + c.cases, 0)).toBeGreaterThanOrEqual(5000);
  });
});
