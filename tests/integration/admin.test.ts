import { join as pathJoin } from "node:path";
import { Room, RoomEvent } from "@livekit/rtc-node";
import { AccessToken } from "livekit-server-sdk";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePin } from "@/lib/room-state";
import { parseProgram } from "@/lib/room-state";
import { adminPost, bearer, friends, readStream, signIn } from "../helpers/admin";
import { Bot } from "../helpers/bot";
import { waitForDirector } from "../helpers/director";
import { adminPassword } from "../helpers/secrets";
import { stackEnv, until } from "../helpers/stack-env";
import { botToken, testKeys } from "../helpers/tokens";
import { readWav } from "../helpers/wav";

const { appUrl, livekitUrl } = stackEnv();
const keys = testKeys();
const fx = (n: string) => readWav(pathJoin(__dirname, "..", "fixtures", "audio", n)).samples;

/** Every page and API behind the admin sign-in. */
const PAGES = ["/friends", "/debug/view"];
const APIS: { method: "GET" | "POST"; path: string; body?: unknown }[] = [
  { method: "GET", path: "/debug" },
  { method: "GET", path: "/api/admin/friends" },
  { method: "GET", path: "/api/admin/friends/stream" },
  { method: "POST", path: "/api/admin/pin", body: { channel: 1, identity: "p_x" } },
  { method: "POST", path: "/api/admin/mute", body: { channel: 1, identity: "p_x" } },
  { method: "POST", path: "/api/admin/remove", body: { channel: 1, identity: "p_x" } },
  { method: "GET", path: "/api/admin/egress" },
  { method: "POST", path: "/api/admin/egress", body: { channel: 1, output: { type: "file" } } },
  { method: "POST", path: "/api/admin/egress/stop", body: { channel: 1 } },
];

let clientNo = 0;
/** A fresh client address per call, so one check's failures never rate-limit the next. */
const freshClient = () => `198.51.100.${++clientNo}`;

async function call(api: (typeof APIS)[number], headers: Record<string, string>) {
  const ctl = new AbortController();
  const res = await fetch(`${appUrl}${api.path}`, {
    method: api.method,
    headers: { "content-type": "application/json", origin: appUrl, ...headers },
    body: api.body ? JSON.stringify(api.body) : undefined,
    signal: ctl.signal,
  });
  const text = res.headers.get("content-type")?.includes("event-stream") ? "" : await res.text();
  ctl.abort();
  return { res, text };
}

describe("admin sign-in", () => {
  it("every admin page redirects to /login and every admin API answers 401 JSON without credentials", async () => {
    for (const path of PAGES) {
      const res = await fetch(`${appUrl}${path}`, { redirect: "manual", headers: { accept: "text/html" } });
      expect(res.status, path).toBe(307);
      expect(res.headers.get("location"), path).toMatch(/\/login\?next=/);
    }
    const html = await fetch(`${appUrl}/debug`, { redirect: "manual", headers: { accept: "text/html" } });
    expect(html.status).toBe(307);
    for (const api of APIS) {
      const { res, text } = await call(api, {});
      expect(res.status, api.path).toBe(401);
      expect(res.headers.get("content-type"), api.path).toMatch(/application\/json/);
      expect(JSON.parse(text), api.path).toMatchObject({ code: "unauthorized" });
    }
  });

  it("a wrong password answers 401 (pages redirect)", async () => {
    for (const api of APIS) {
      const { res } = await call(api, { authorization: "Bearer not-the-password", "x-forwarded-for": freshClient() });
      expect(res.status, api.path).toBe(401);
    }
    for (const path of PAGES) {
      const res = await fetch(`${appUrl}${path}`, {
        redirect: "manual",
        headers: { authorization: "Bearer not-the-password", "x-forwarded-for": freshClient() },
      });
      expect(res.status, path).toBe(307);
    }
    const login = await fetch(`${appUrl}/api/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: appUrl, "x-forwarded-for": freshClient() },
      body: JSON.stringify({ password: "not-the-password" }),
    });
    expect(login.status).toBe(401);
    expect(login.headers.getSetCookie()).toEqual([]);
  });

  it("the 6th failed sign-in from one client within a minute answers 429 with Retry-After", async () => {
    const attempt = (password: string, client: string) =>
      fetch(`${appUrl}/api/admin/login`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: appUrl, "x-forwarded-for": client },
        body: JSON.stringify({ password }),
      });
    for (let i = 1; i <= 5; i++) expect((await attempt(`wrong-${i}`, "203.0.113.9")).status, `try ${i}`).toBe(401);
    const sixth = await attempt("wrong-6", "203.0.113.9");
    expect(sixth.status).toBe(429);
    const retry = Number(sixth.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await sixth.json()).toMatchObject({ code: "too_many_requests" });
    // Blocked means blocked: even the right password waits, and Bearer counts the same.
    expect((await attempt(adminPassword(), "203.0.113.9")).status).toBe(429);
    expect((await fetch(`${appUrl}/api/admin/friends`, { headers: { ...bearer(), "x-forwarded-for": "203.0.113.9" } })).status).toBe(429);
    // Another client is not affected.
    expect((await attempt(adminPassword(), "203.0.113.10")).status).toBe(200);
  });

  it("sign-in sets a signed, httpOnly, SameSite=Strict, expiring cookie; tampering and sign-out end it", async () => {
    const res = await fetch(`${appUrl}/api/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: appUrl, "x-forwarded-for": freshClient() },
      body: JSON.stringify({ password: adminPassword() }),
    });
    expect(res.status).toBe(200);
    const set = res.headers.getSetCookie().find((c) => c.startsWith("cc_admin="))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(set)?.[1] ?? "");
    expect(expires - Date.now()).toBeGreaterThan(60 * 60 * 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(12 * 60 * 60 * 1000 + 5000);
    const cookie = set.split(";")[0]!;
    expect((await fetch(`${appUrl}/api/admin/friends`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${appUrl}/debug`, { headers: { cookie } })).status).toBe(200);
    const page = await fetch(`${appUrl}/friends`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(200);

    const tampered = cookie.slice(0, -2) + (cookie.endsWith("AA") ? "BB" : "AA");
    expect((await fetch(`${appUrl}/api/admin/friends`, { headers: { cookie: tampered } })).status).toBe(401);
    const longer = cookie.replace(/=(\d+)\./, (_m, exp: string) => `=${Number(exp) + 1000000}.`);
    expect((await fetch(`${appUrl}/api/admin/friends`, { headers: { cookie: longer } })).status).toBe(401);

    const out = await fetch(`${appUrl}/api/admin/logout`, { method: "POST", headers: { cookie, origin: appUrl } });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().find((c) => c.startsWith("cc_admin="))).toMatch(/Max-Age=0/i);
    expect((await fetch(`${appUrl}/api/admin/logout`)).status).toBe(405);
  });

  it("state-changing admin APIs are POST only and refuse other origins", async () => {
    const cookie = await signIn(appUrl);
    for (const path of ["/api/admin/pin", "/api/admin/mute", "/api/admin/remove", "/api/admin/login"]) {
      const get = await fetch(`${appUrl}${path}?channel=1&identity=p_x`, { headers: { cookie } });
      expect(get.status, path).toBe(405);
      expect(get.headers.get("allow"), path).toBe("POST");
    }
    const body = JSON.stringify({ channel: 1, identity: "p_nobody" });
    const post = (headers: Record<string, string>) =>
      fetch(`${appUrl}/api/admin/pin`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    expect((await post({ cookie, origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ cookie })).status).toBe(403);
    expect((await post({ cookie, origin: appUrl, "sec-fetch-site": "cross-site" })).status).toBe(403);
    // Same origin with the cookie, or a script with the Bearer header: past the checks
    // (channel 1 is empty, so 404).
    expect((await post({ cookie, origin: appUrl })).status).toBe(404);
    expect((await post(bearer())).status).toBe(404);
    // Bad input is a 400 with field errors, never a 500.
    const bad = await fetch(`${appUrl}/api/admin/mute`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer() },
      body: JSON.stringify({ channel: 99, identity: "v_viewer" }),
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { details: object }).details).sort()).toEqual(["channel", "identity"]);
  });
});

async function signedWebhook(body: string): Promise<string> {
  const at = new AccessToken(keys.key, keys.secret);
  at.sha256 = createHash("sha256").update(body).digest("base64");
  return at.toJwt();
}

describe("webhooks and the activity log", () => {
  const ROOM = "channel-18";
  const bot = new Bot("p_it_hook");
  beforeAll(async () => {
    await bot.join(livekitUrl, await botToken(keys, ROOM, bot.identity, { name: "Hook Bot" }));
    await until(async () => (await friends(appUrl)).channels[ROOM]?.participants.length === 1, "channel 18 in /friends");
  });
  afterAll(() => bot.leave());

  it("LiveKit's own webhooks land in the director's activity log", async () => {
    await until(
      async () => (await friends(appUrl)).activity[ROOM]?.some((a) => a.kind === "participant_joined" && a.identity === bot.identity),
      "the join in the activity log",
    );
    await until(
      async () => (await friends(appUrl)).activity[ROOM]?.some((a) => a.kind === "track_published" && a.detail === "microphone"),
      "the microphone's publication in the activity log",
    );
  });

  it("a forged signature answers 401 and changes nothing; a valid one is logged", async () => {
    const event = (identity: string) =>
      JSON.stringify({
        event: "participant_joined",
        id: `EV_${identity}`,
        createdAt: String(Math.floor(Date.now() / 1000)),
        room: { name: ROOM },
        participant: { identity, name: identity },
      });
    const forgedBody = event("p_forged_join");
    const forgedToken = await new AccessToken(keys.key, "a-different-secret-of-at-least-32-chars!!", {}).toJwt();
    for (const auth of [undefined, "Bearer nonsense", forgedToken, await signedWebhook(event("p_other_body"))]) {
      const res = await fetch(`${appUrl}/api/webhooks/livekit`, {
        method: "POST",
        headers: { "content-type": "application/webhook+json", ...(auth ? { authorization: auth } : {}) },
        body: forgedBody,
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: "unauthorized" });
    }
    const validBody = event("p_signed_join");
    const ok = await fetch(`${appUrl}/api/webhooks/livekit`, {
      method: "POST",
      headers: { "content-type": "application/webhook+json", authorization: await signedWebhook(validBody) },
      body: validBody,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ logged: "queued" });
    await until(async () => (await friends(appUrl)).activity[ROOM]?.some((a) => a.identity === "p_signed_join"), "the signed event in the log");
    const log = (await friends(appUrl)).activity[ROOM] ?? [];
    expect(log.some((a) => a.identity === "p_forged_join")).toBe(false);
  });
});

describe("pinning", () => {
  const ROOM = "channel-19";
  const talker = new Bot("p_it_pin_talker");
  const silent = new Bot("p_it_pin_silent");
  const watcher = new Room();
  const program = () => parseProgram(watcher.metadata);

  beforeAll(async () => {
    await talker.join(livekitUrl, await botToken(keys, ROOM, talker.identity, { name: "Pin Talker" }));
    await silent.join(livekitUrl, await botToken(keys, ROOM, silent.identity, { name: "Pin Silent" }));
    await watcher.connect(livekitUrl, await botToken(keys, ROOM, "v_it_pin_watch", { role: "viewer" }), { autoSubscribe: false, dynacast: false });
    await until(async () => (await friends(appUrl)).channels[ROOM]?.program !== undefined && (await friends(appUrl)).channels[ROOM]!.participants.length === 2, "both bots in channel 19");
    await waitForDirector(livekitUrl, keys, ROOM);
    await talker.say(fx("speech-alice.wav"));
    await until(async () => program()?.program === talker.identity, "the talker on program");
  });
  afterAll(async () => {
    await talker.leave();
    await silent.leave();
    await watcher.disconnect();
  });

  it("a pinned silent participant is on program within 1 s and stays while others speak; unpin hands back", async () => {
    const seen = new Promise<number>((resolve) => {
      const h = () => {
        if (program()?.program === silent.identity) {
          watcher.off(RoomEvent.RoomMetadataChanged, h);
          resolve(performance.now());
        }
      };
      watcher.on(RoomEvent.RoomMetadataChanged, h);
    });
    const t0 = performance.now();
    await adminPost(appUrl, "/api/admin/pin", { channel: 19, identity: silent.identity });
    const ms = (await seen) - t0;
    console.log(`pin -> program on a viewer's connection: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
    expect(program()?.pinned).toBe(silent.identity);

    await talker.drained();
    // A gap of silence first: Bot.say resolves on a clip's onset, which needs one.
    await new Promise((r) => setTimeout(r, 200));
    await talker.say(fx("speech-carol.wav"));
    const until2 = Date.now() + 2500;
    while (Date.now() < until2) {
      expect(program()?.program).toBe(silent.identity);
      await new Promise((r) => setTimeout(r, 100));
    }
    const f = await friends(appUrl);
    expect(f.channels[ROOM]?.program?.pinned).toBe(silent.identity);
    expect(f.activity[ROOM]?.some((a) => a.kind === "pin" && a.identity === silent.identity)).toBe(true);

    // Unpin while the talker is still talking: the director hands the program to them.
    expect(talker.busy).toBe(true);
    await adminPost(appUrl, "/api/admin/pin", { channel: 19, identity: null });
    await until(async () => program()?.pinned === null && program()?.program === talker.identity, "the director to take over after unpin", 8000);
    await talker.drained();
    await new Promise((r) => setTimeout(r, 200));
  });

  it("the pin survives the director's own writes racing it", async () => {
    // Talk throughout so the director keeps writing while pins land.
    void talker.say(fx("speech-bob.wav"));
    for (let i = 0; i < 6; i++) {
      const target = i % 2 === 0 ? silent.identity : null;
      const { at } = (await adminPost(appUrl, "/api/admin/pin", { channel: 19, identity: target })) as { at: number };
      await until(async () => {
        const pin = parsePin(watcher.metadata);
        const prog = program();
        return pin?.at === at && pin.identity === target && prog?.pinned === target;
      }, `pin ${i} (${target ?? "unpin"}) in the room metadata and the director's state`, 3000);
      await new Promise((r) => setTimeout(r, 150 + i * 40));
      const pin = parsePin(watcher.metadata);
      expect(pin?.at, `pin ${i} still there after the director wrote`).toBe(at);
    }
    await talker.drained();
  });
});

describe("the live feed", () => {
  it("streams a snapshot, then patches within 1 s of a change, and no secret", async () => {
    const ROOM = "channel-20";
    const cookie = await signIn(appUrl);
    const bot = new Bot("p_it_feed");
    try {
      const sizes: number[] = [];
      let joinedAt = 0;
      const events = await readStream(
        appUrl,
        cookie,
        (ev) => {
          if (ev.type === "snapshot") {
            void (async () => {
              await bot.join(livekitUrl, await botToken(keys, ROOM, bot.identity, { name: "Feed Bot" }));
              joinedAt = Date.now();
              await bot.say(fx("speech-alice.wav"));
            })();
            return false;
          }
          sizes.push(ev.data.length);
          const p = JSON.parse(ev.data) as { levels?: Record<string, Record<string, [number, number]>> };
          return p.levels?.[ROOM]?.[bot.identity]?.[1] === 1;
        },
        20_000,
      );
      const speakingAt = events.at(-1)!.at;
      expect(events[0]!.type).toBe("snapshot");
      const channelPatch = events.find((e) => e.type === "patch" && e.data.includes(`"${ROOM}":{"channel":20`));
      expect(channelPatch, "a patch with the new channel").toBeTruthy();
      expect(channelPatch!.at - joinedAt).toBeLessThan(1000);
      expect(JSON.parse(events.at(-1)!.data).levels[ROOM][bot.identity][1]).toBe(1);
      console.log(`feed: ${sizes.length} patches, sizes ${Math.min(...sizes)}..${Math.max(...sizes)} B, speaking seen ${speakingAt - joinedAt} ms after join`);
    } finally {
      await bot.leave();
    }
  });
});

describe("moderation through the API", () => {
  it("mutes a microphone and removes a participant", async () => {
    const ROOM = "channel-20";
    const bot = new Bot("p_it_mod");
    await bot.join(livekitUrl, await botToken(keys, ROOM, bot.identity, { name: "Mod Bot" }));
    try {
      await until(async () => (await friends(appUrl)).channels[ROOM]?.participants.find((p) => p.identity === bot.identity)?.mic === "live", "the bot's live mic");
      await adminPost(appUrl, "/api/admin/mute", { channel: 20, identity: bot.identity });
      await until(async () => (await friends(appUrl)).channels[ROOM]?.participants.find((p) => p.identity === bot.identity)?.mic === "muted", "the mic muted");
      // Checked before the removal: a channel nobody is in leaves /friends with its log.
      await until(
        async () => (await friends(appUrl)).activity[ROOM]?.some((a) => a.kind === "mute" && a.identity === bot.identity),
        "the admin's mute in the activity log",
      );
      const disconnected = bot.waitFor(RoomEvent.Disconnected, () => true, 5000);
      await adminPost(appUrl, "/api/admin/remove", { channel: 20, identity: bot.identity });
      await disconnected;
      await until(async () => !(await friends(appUrl)).channels[ROOM]?.participants.some((p) => p.identity === bot.identity), "the bot gone");
    } finally {
      await bot.leave().catch(() => undefined);
    }
  });
});
