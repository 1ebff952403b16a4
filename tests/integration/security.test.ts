/**
 * Hostile clients (issue 11). Each attack is reproduced against an app instance of
 * its own (strict limits, a join code, no trusted proxy: how the app stands when
 * exposed directly) with the stack's real livekit-server, and must fail. Every test
 * is its own client: requests come from their own loopback address (127.0.0.x), so a
 * test's limits never touch another's, and no header has to be believed for it.
 */
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { connect as netConnect, createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { AccessToken, RoomServiceClient } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpsEntry, type HttpsEntry } from "../../scripts/lib/https-entry.mjs";
import { ensureCertificate } from "../../scripts/lib/tls.mjs";
import { startApp, type AppInstance } from "../helpers/app-instance";
import { Bot } from "../helpers/bot";
import { rawRequest, type RawResponse } from "../helpers/raw-http";
import { stackEnv, until } from "../helpers/stack-env";
import { testKeys } from "../helpers/tokens";

const PASSWORD = "security-suite-admin-4e1f9b";
const CODE = "sec-code-2718";
const RATE = 20;
const BROWSER_RATE = 4;
const { livekitUrl } = stackEnv();
const keys = testKeys();
const rooms = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);

let app: AppInstance;
let nextHost = 10;
/** A fresh client: its own loopback address. */
const client = () => `127.0.0.${nextHost++}`;
const bots: Bot[] = [];

beforeAll(async () => {
  app = await startApp({
    ADMIN_PASSWORD: PASSWORD,
    JOIN_CODE: CODE,
    TOKEN_RATE_PER_MINUTE: String(RATE),
    TOKEN_RATE_PER_BROWSER_PER_MINUTE: String(BROWSER_RATE),
    MAX_PARTICIPANTS_PER_CHANNEL: "2",
    MAX_VIEWERS_PER_CHANNEL: "2",
    REMOVE_BAN_MINUTES: "10",
  });
});

afterAll(async () => {
  await Promise.all(bots.map((b) => b.leave().catch(() => undefined)));
  await app?.stop();
});

interface Minted {
  res: RawResponse;
  identity: string;
  token: string;
  serverUrl: string;
  cookie: string | null;
}

async function mint(from: string, body: Record<string, unknown>, cookie?: string): Promise<Minted> {
  const res = await rawRequest(`${app.url}/api/token`, {
    method: "POST",
    from,
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ code: CODE, ...body }),
  });
  const json = res.status === 200 ? res.json() : {};
  const set = ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.startsWith("cc_pid="));
  return {
    res,
    identity: String(json.identity ?? ""),
    token: String(json.token ?? ""),
    serverUrl: String(json.serverUrl ?? ""),
    cookie: set ? set.split(";")[0]! : null,
  };
}

async function joinBot(m: Minted, publish = false): Promise<Bot> {
  const bot = new Bot(m.identity);
  bots.push(bot);
  await bot.join(m.serverUrl, m.token, { publish });
  return bot;
}

function expectJsonError(res: RawResponse, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(String(res.headers["content-type"])).toContain("application/json");
  const body = res.json();
  expect(typeof body.error).toBe("string");
  expect(body.code).toBe(code);
  return body;
}

describe("attack 1: taking over someone's identity", () => {
  it("a cookie made from a public identity gets a fresh identity; the victim stays connected", async () => {
    const victim = await mint(client(), { name: "Sam", channel: 13 });
    expect(victim.res.status).toBe(200);
    expect(victim.identity).toMatch(/^p_/);
    const victimBot = await joinBot(victim);

    // What the attacker knows: the public identity (from /status, the roster, the program).
    const pub = victim.identity.slice(2);
    for (const forged of [`cc_pid=${pub}`, `cc_pid=${pub}.${pub}`, `cc_pid=${victim.identity}`, `cc_pid=${victim.cookie!.slice(7).split(".")[0]}`]) {
      const attack = await mint(client(), { name: "Mallory", channel: 13 }, forged);
      expect(attack.res.status).toBe(200);
      expect(attack.identity, forged).not.toBe(victim.identity);
      expect(attack.cookie, "a cookie that does not verify is replaced").not.toBeNull();
    }

    // Joining with the attacker's token no longer knocks the victim out.
    const attacker = await mint(client(), { name: "Mallory", channel: 13 }, `cc_pid=${pub}`);
    await joinBot(attacker);
    const present = await until(async () => {
      const ids = (await rooms.listParticipants("channel-13")).map((p) => p.identity);
      return ids.includes(attacker.identity) && ids.includes(victim.identity) ? ids : null;
    }, "both in channel-13");
    expect(present).toContain(victim.identity);
    expect(victimBot.room.isConnected).toBe(true);
  });

  it("a reload rejoins as the same participant, and two Sams coexist", async () => {
    const first = await mint(client(), { name: "Sam", channel: 2 });
    const reload = await mint(client(), { name: "Sam", channel: 2 }, first.cookie!);
    expect(reload.identity).toBe(first.identity);
    expect(reload.cookie, "a verified cookie is kept").toBeNull();
    const otherSam = await mint(client(), { name: "Sam", channel: 2 });
    expect(otherSam.identity).not.toBe(first.identity);
  });
});

describe("attack 2: hidden viewers filling a channel", () => {
  it("caps viewers and participants separately at mint time, lists viewers on /friends, removes and bans one", async () => {
    const v1 = await mint(client(), { name: "Projector", channel: 17, role: "viewer" });
    const v2 = await mint(client(), { name: "OBS", channel: 17, role: "viewer" });
    expect([v1.res.status, v2.res.status]).toEqual([200, 200]);
    await joinBot(v1);
    await joinBot(v2);
    await until(async () => (await rooms.listParticipants("channel-17")).filter((p) => p.identity.startsWith("v_")).length === 2, "two viewers in");

    const v3 = await mint(client(), { name: "Preview", channel: 17, role: "viewer" });
    const refused = expectJsonError(v3.res, 409, "channel_full");
    expect(refused.error).toMatch(/program screens/);

    // Participants still get in: viewers never hold their places.
    const p1 = await mint(client(), { name: "Ada", channel: 17 });
    const p2 = await mint(client(), { name: "Bo", channel: 17 });
    expect([p1.res.status, p2.res.status]).toEqual([200, 200]);
    await joinBot(p1);
    await joinBot(p2);
    const p3 = await mint(client(), { name: "Cy", channel: 17 });
    expectJsonError(p3.res, 409, "channel_full");
    // LiveKit's own limit is sized for both caps plus the director and Egress.
    const room = (await rooms.listRooms(["channel-17"]))[0]!;
    expect(room.maxParticipants).toBe(2 + 2 + 4);

    // /friends lists the viewers (count and each).
    const auth = { authorization: `Bearer ${PASSWORD}` };
    const friends = await until(async () => {
      const r = await rawRequest(`${app.url}/api/admin/friends`, { headers: auth, from: client() });
      const ch = (r.json().channels as Record<string, { viewers: { identity: string; name: string }[] }>)["channel-17"];
      return ch && ch.viewers.length === 2 ? ch : null;
    }, "two viewers on /friends");
    expect(friends.viewers.map((v) => v.identity).sort()).toEqual([v1.identity, v2.identity].sort());

    // Remove one: LiveKit disconnects it, and its browser gets no token for REMOVE_BAN_MINUTES.
    const removed = await rawRequest(`${app.url}/api/admin/remove`, {
      method: "POST",
      from: client(),
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ channel: 17, identity: v1.identity }),
    });
    expect(removed.status, removed.text).toBe(200);
    await until(async () => !(await rooms.listParticipants("channel-17")).some((p) => p.identity === v1.identity), "the viewer gone");
    for (const role of ["viewer", "participant"]) {
      const again = await mint(client(), { name: "Projector", channel: 17, role }, v1.cookie!);
      const body = expectJsonError(again.res, 403, "banned");
      expect(Number(again.res.headers["retry-after"])).toBeGreaterThan(9 * 60);
      expect((body.details as { retryAfterS: number }).retryAfterS).toBeGreaterThan(9 * 60);
    }
    // Another browser takes the freed place.
    expect((await mint(client(), { name: "Projector 2", channel: 17, role: "viewer" })).res.status).toBe(200);
  });
});

describe("attack 3: locking the admin out", () => {
  const login = (from: string, password: string, xff?: string) =>
    rawRequest(`${app.url}/api/admin/login`, {
      method: "POST",
      from,
      headers: { "content-type": "application/json", origin: app.url, ...(xff ? { "x-forwarded-for": xff } : {}) },
      body: JSON.stringify({ password }),
    });

  it("100 failures with forged X-Forwarded-For stay one client's: the admin still signs in", async () => {
    const attacker = client();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await login(attacker, "wrong-password", `203.0.113.${i}`)).status);
    // The forged header buys nothing: the 6th try is refused.
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    expect((await login(attacker, PASSWORD)).status, "the flooding client itself stays blocked").toBe(429);
    expect((await login(client(), PASSWORD)).status).toBe(200);
  });

  it("100 failures from 20 real addresses never refuse a 21st", async () => {
    for (let c = 0; c < 20; c++) {
      const from = client();
      for (let i = 0; i < 5; i++) expect((await login(from, "wrong-password")).status).toBe(401);
    }
    const ok = await login(client(), PASSWORD);
    expect(ok.status).toBe(200);
    expect(String(ok.headers["set-cookie"])).toMatch(/cc_admin=/);
  });
});

describe("attack 4: malformed credentials never give a 5xx", () => {
  const endpoints: [string, string][] = [
    ["GET", "/api/admin/friends"],
    ["GET", "/api/admin/friends/stream"],
    ["GET", "/debug"],
    ["GET", "/api/admin/egress"],
    ["POST", "/api/admin/pin"],
    ["POST", "/api/admin/mute"],
    ["POST", "/api/admin/remove"],
    ["POST", "/api/admin/director-role"],
    ["POST", "/api/admin/take"],
    ["POST", "/api/admin/shot-length"],
    ["POST", "/api/admin/egress"],
    ["POST", "/api/admin/egress/stop"],
  ];
  const bad: Record<string, string>[] = [
    { cookie: "cc_admin=%" },
    { cookie: "cc_admin=%E0%A4%A; cc_pid=%" },
    { authorization: "Basic %%%" },
    { authorization: "Bearer" },
    { authorization: "Basic " + Buffer.from("no-colon").toString("base64") },
  ];
  it.each(endpoints)("%s %s → 401 JSON", async (method, path) => {
    for (const headers of bad) {
      const res = await rawRequest(`${app.url}${path}`, { method, headers: { ...headers, "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined, from: client() });
      expectJsonError(res, 401, "unauthorized");
      expect(res.headers["www-authenticate"], "no Basic challenge").toBeUndefined();
    }
  });

  it("a malformed identity cookie gets a fresh identity", async () => {
    const m = await mint(client(), { name: "Ann", channel: 2 }, "cc_pid=%; cc_admin=%");
    expect(m.res.status).toBe(200);
    expect(m.cookie).not.toBeNull();
  });
});

describe("attack 5: unlimited tokens", () => {
  it(`refuses the ${RATE + 1}th request a minute from one address with 429, Retry-After and JSON; others are unaffected`, async () => {
    const flooder = client();
    const statuses: number[] = [];
    let last: RawResponse | null = null;
    for (let i = 0; i < RATE + 10; i++) {
      last = (await mint(flooder, { name: `Bot ${i}`, channel: 2 })).res;
      statuses.push(last.status);
    }
    expect(statuses.slice(0, RATE).every((s) => s === 200)).toBe(true);
    expect(new Set(statuses.slice(RATE))).toEqual(new Set([429]));
    const body = expectJsonError(last!, 429, "too_many_requests");
    const retry = Number(last!.headers["retry-after"]);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect((body.details as { retryAfterS: number }).retryAfterS).toBe(retry);
    expect((await mint(client(), { name: "Neighbour", channel: 2 })).res.status).toBe(200);
  });

  it(`refuses a browser's ${BROWSER_RATE + 1}th request a minute, whatever address it comes from`, async () => {
    const first = await mint(client(), { name: "Roamer", channel: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < BROWSER_RATE + 2; i++) statuses.push((await mint(client(), { name: "Roamer", channel: 2 }, first.cookie!)).res.status);
    expect(statuses).toEqual([...Array<number>(BROWSER_RATE).fill(200), 429, 429]);
  });
});

describe("the join code", () => {
  it("is required: none → 401, wrong → 403, right → 200; the page never carries it", async () => {
    const req = (code?: string) =>
      rawRequest(`${app.url}/api/token`, {
        method: "POST",
        from: client(),
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Ann", channel: 2, role: "viewer", ...(code === undefined ? {} : { code }) }),
      });
    expectJsonError(await req(), 401, "join_code_required");
    expectJsonError(await req("guess-1234"), 403, "join_code_wrong");
    expect((await req(CODE)).status).toBe(200);
    const page = await rawRequest(`${app.url}/`, { from: client() });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(CODE);
  });
});

describe("names", () => {
  it.each([
    ["a right-to-left override", "Sam\u202Egnp.exe"],
    ["a zero-width space", "S\u200Bam"],
    ["an isolate", "Ann\u2067x\u2069"],
  ])("with %s are refused", async (_, name) => {
    const m = await mint(client(), { name, channel: 2 });
    const body = expectJsonError(m.res, 400, "bad_request");
    expect(Object.keys(body.details as object)).toEqual(["name"]);
  });
});

describe("admin pages", () => {
  it.each([
    ["/friends", "text/html"],
    ["/login", "text/html"],
    ["/debug", "text/html"],
    ["/api/admin/friends", "application/json"],
  ])("%s may not be framed and sends no Basic challenge", async (path, accept) => {
    const res = await rawRequest(`${app.url}${path}`, { headers: { accept }, from: client() });
    expect(res.status).toBeLessThan(500);
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["www-authenticate"]).toBeUndefined();
  });

  it("scripts may still send Basic", async () => {
    const basic = Buffer.from(`admin:${PASSWORD}`).toString("base64");
    expect((await rawRequest(`${app.url}/api/admin/friends`, { headers: { authorization: `Basic ${basic}` }, from: client() })).status).toBe(200);
  });
});

describe("webhook replays", () => {
  async function signed(body: string): Promise<string> {
    const at = new AccessToken(keys.key, keys.secret, { ttl: 300 });
    at.sha256 = createHash("sha256").update(body).digest("base64");
    return at.toJwt();
  }
  const post = async (body: string, auth: string) =>
    rawRequest(`${app.url}/api/webhooks/livekit`, {
      method: "POST",
      from: client(),
      headers: { "content-type": "application/webhook+json", authorization: auth },
      body,
    });

  it("a captured call, sent again while its signature is valid, changes nothing", async () => {
    const body = JSON.stringify({ id: `EV_replay_${Date.now()}`, event: "participant_left", room: { name: "channel-5" }, participant: { identity: "p_x", name: "X" }, createdAt: String(Math.floor(Date.now() / 1000)) });
    const auth = await signed(body);
    const first = await post(body, auth);
    expect(first.status).toBe(200);
    expect(first.json().logged).toBe("queued");
    const replay = await post(body, auth);
    expect(replay.status).toBe(200);
    expect(replay.json().logged).toBe("replay");
  });

  it("a signed body that is not JSON is a 4xx", async () => {
    const body = "not json {";
    const res = await post(body, await signed(body));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe("production start-up", () => {
  it("refuses to start without APP_PUBLIC_URL (the egress layout URL would come from request headers)", async () => {
    const prod = await startApp(
      { NODE_ENV: "production", CC_EMBEDDED: "0", ADMIN_PASSWORD: "a-long-enough-admin-password", APP_PUBLIC_URL: "" },
      { expectExit: true },
    );
    try {
      expect(prod.child.exitCode).toBe(1);
      expect(prod.output()).toMatch(/APP_PUBLIC_URL is required/);
    } finally {
      await prod.stop();
    }
  });
});

describe("the HTTPS entry point under slow and greedy clients", () => {
  const root = join(__dirname, "..", "..");
  let entry: HttpsEntry;
  let stalled: NetServer;
  const stalledSockets = new Set<Socket>();
  const LIMITS = { headersTimeoutMs: 1000, requestTimeoutMs: 2500, upstreamTimeoutMs: 1000, upgradeIdleMs: 1000, maxConcurrentPerClient: 8, checkIntervalMs: 250 };

  beforeAll(async () => {
    // An upstream that accepts and never answers: a hung LiveKit.
    stalled = createNetServer((s) => {
      stalledSockets.add(s);
      s.on("close", () => stalledSockets.delete(s));
      s.on("error", () => undefined);
    });
    await new Promise<void>((r) => stalled.listen(0, "127.0.0.1", r));
    // The tests' own certificate (scripts/test.mjs made it for the stack's entry point).
    const tls = await ensureCertificate({ dir: join(root, ".cache", "tls-test"), ips: [], hostname: "localhost" });
    entry = await startHttpsEntry({
      port: 0,
      host: "127.0.0.1",
      cert: tls.cert,
      key: tls.key,
      appPort: app.port,
      livekitPort: (stalled.address() as { port: number }).port,
      apiSecret: keys.secret,
      limits: LIMITS,
    });
  });

  afterAll(async () => {
    await entry?.close();
    for (const s of stalledSockets) s.destroy();
    await new Promise((r) => stalled?.close(r));
  });

  const url = (path: string) => `https://127.0.0.1:${entry.port}${path}`;

  function openTls(from: string): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      const raw = netConnect({ host: "127.0.0.1", port: entry.port, localAddress: from });
      const s = tlsConnect({ socket: raw, rejectUnauthorized: false }, () => resolve(s));
      s.on("error", reject);
      // Read whatever comes, so the server's close reaches us as 'close'.
      s.resume();
      closedAt.set(s, new Promise<number>((r) => s.on("close", () => r(Date.now()))));
      s.on("error", () => undefined);
    });
  }
  // When a socket closed, in ms after this is called; watched from the start, so a
  // socket the server closes at once is not missed.
  const closedAt = new WeakMap<TLSSocket, Promise<number>>();
  const closed = (s: TLSSocket) => {
    const t0 = Date.now();
    return closedAt.get(s)!.then((at) => Math.max(0, at - t0));
  };

  it("cuts a client that never finishes its request head", async () => {
    const s = await openTls(client());
    const gone = closed(s);
    s.write("GET /status HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    const ms = await gone;
    expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + 2000);
  });

  it("caps one client's concurrent requests, so slow bodies can't starve anyone else; and cuts them", async () => {
    const greedy = client();
    const slow: TLSSocket[] = [];
    const answers: string[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 12; i++) {
      const s = await openTls(greedy);
      s.setEncoding("utf8");
      s.on("data", (d: string) => answers.push(d.split("\r\n")[0]!));
      s.write(`POST /api/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`);
      slow.push(s);
    }
    await until(async () => answers.filter((a) => a.includes(" 429 ")).length === 4, "4 requests over the cap refused").catch((err: Error) => {
      throw new Error(`${err.message}; answers: ${JSON.stringify(answers)} after ${Date.now() - t0} ms`);
    });
    // Someone else is served at once.
    const t1 = Date.now();
    const other = await rawRequest(url("/status"), { from: client() });
    expect(other.status).toBe(200);
    expect(Date.now() - t1).toBeLessThan(2000);
    // The slow ones are cut by the request timeout.
    const ms = await Promise.all(slow.map(closed));
    expect(Math.max(...ms)).toBeLessThan(LIMITS.requestTimeoutMs + 3000);
  });

  it("answers 504 when the upstream hangs", async () => {
    const res = await rawRequest(url("/twirp/livekit.RoomService/ListRooms"), { method: "POST", body: "{}", headers: { "content-type": "application/json" }, from: client() });
    expect(res.status).toBe(504);
    expect(res.json().code).toBe("upstream_timeout");
  });

  it("closes an upgraded socket that stays idle", async () => {
    const s = await openTls(client());
    const gone = closed(s);
    s.write("GET /rtc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    const ms = await gone;
    expect(ms).toBeGreaterThanOrEqual(LIMITS.upgradeIdleMs - 100);
    expect(ms).toBeLessThan(LIMITS.upgradeIdleMs + 3000);
  });

  it("tells the app who the client is (its proof), so forged X-Forwarded-For buys no fresh sign-in tries", async () => {
    const attacker = client();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await rawRequest(url("/api/admin/login"), {
        method: "POST",
        from: attacker,
        headers: { "content-type": "application/json", origin: url(""), "x-forwarded-for": `198.51.100.${i}`, "x-cc-entry": "forged" },
        body: JSON.stringify({ password: "wrong" }),
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const ok = await rawRequest(url("/api/admin/login"), {
      method: "POST",
      from: client(),
      headers: { "content-type": "application/json", origin: url("") },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(ok.status).toBe(200);
  });
});
