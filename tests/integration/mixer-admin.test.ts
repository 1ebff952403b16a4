import { RoomServiceClient } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePin, parseProgram, parseRoles, parseShotLength, parseTake, SHOT_LENGTH_MAX_MS } from "@/lib/room-state";
import { adminPost, bearer, friends, signIn } from "../helpers/admin";
import { Bot } from "../helpers/bot";
import { waitForDirector } from "../helpers/director";
import { stackEnv, until } from "../helpers/stack-env";
import { botToken, testKeys } from "../helpers/tokens";

// The vision mixer's admin APIs (director roles, take, shot length) against the real
// stack: the same gate as the other admin APIs, and each writes its own key into the
// room metadata keeping every other one (the director's program, the pin, each other).
const { appUrl, livekitUrl } = stackEnv();
const keys = testKeys();
const api = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);

const ROOM = "channel-12";
const CHANNEL = 12;
/** Nobody is ever in channel 1 in these tests: the "empty channel" case. */
const EMPTY = 1;

const MIXER_APIS = [
  { path: "/api/admin/director-role", valid: (channel: number, identity: string) => ({ channel, identity, role: "favor" }) },
  { path: "/api/admin/take", valid: (channel: number, identity: string) => ({ channel, identity }) },
  { path: "/api/admin/shot-length", valid: (channel: number) => ({ channel, ms: 1500 }) },
] as const;

let clientNo = 0;
/** A fresh client address per call, so one check's failed passwords never rate-limit the next. */
const freshClient = () => `198.51.100.${200 + (++clientNo % 50)}`;

async function post(path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${appUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.headers.get("content-type"), `${path} ${res.status} ${text}`).toMatch(/application\/json/);
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, headers: res.headers };
}

async function metadata(): Promise<string> {
  const [room] = await api.listRooms([ROOM]);
  return room?.metadata ?? "";
}

/**
 * The room's metadata once our write shows in it. LiveKit has no compare-and-set: a
 * director write racing an admin's can land just after it with an older copy, and the
 * director then restores the admin's newest input (as worker/core.ts does for the pin).
 */
function settled(ok: (md: string) => boolean, what: string): Promise<string> {
  return until(async () => {
    const md = await metadata();
    return ok(md) ? md : null;
  }, what, 5000);
}

describe("the mixer's admin APIs: the same gate as every admin API", () => {
  let cookie = "";
  beforeAll(async () => {
    cookie = await signIn(appUrl);
  });

  it("answer 401 JSON without credentials, with a wrong password and with malformed ones", async () => {
    for (const a of MIXER_APIS) {
      const body = a.valid(EMPTY, "p_nobody");
      const attempts: Record<string, string>[] = [
        { origin: appUrl },
        { authorization: "Bearer not-the-password", "x-forwarded-for": freshClient() },
        { cookie: "cc_admin=%E0%A4%A", origin: appUrl },
        { authorization: "Basic %%%", "x-forwarded-for": freshClient() },
      ];
      for (const headers of attempts) {
        const r = await post(a.path, body, headers);
        expect(r.status, `${a.path} ${JSON.stringify(headers)}`).toBe(401);
        expect(r.json.code).toBe("unauthorized");
      }
    }
  });

  it("are POST only", async () => {
    for (const a of MIXER_APIS) {
      for (const method of ["GET", "PUT", "DELETE"]) {
        const res = await fetch(`${appUrl}${a.path}`, { method, headers: { cookie, origin: appUrl } });
        expect(res.status, `${method} ${a.path}`).toBe(405);
        expect(res.headers.get("allow"), a.path).toBe("POST");
        expect(await res.json()).toMatchObject({ code: "method_not_allowed" });
      }
    }
  });

  it("refuse other origins (CSRF) with a session, and let the same origin or a script through", async () => {
    for (const a of MIXER_APIS) {
      const body = a.valid(EMPTY, "p_nobody");
      const refused: Record<string, string>[] = [{ cookie, origin: "https://evil.example" }, { cookie }, { cookie, origin: appUrl, "sec-fetch-site": "cross-site" }, { cookie, origin: "null" }];
      for (const headers of refused) {
        const r = await post(a.path, body, headers);
        expect(r.status, `${a.path} ${JSON.stringify(headers)}`).toBe(403);
        expect(r.json.code).toBe("forbidden");
      }
      // Past the checks, channel 1 is empty: 404, not a write.
      for (const headers of [{ cookie, origin: appUrl }, { cookie, origin: appUrl, "sec-fetch-site": "same-origin" }, bearer()]) {
        const r = await post(a.path, body, headers);
        expect(r.status, `${a.path} ${JSON.stringify(headers)}`).toBe(404);
        expect(r.json.code).toBe("not_found");
      }
    }
    // A wide take and a default shot length name nobody: only the empty channel answers 404.
    expect((await post("/api/admin/take", { channel: EMPTY, shot: "wide" }, bearer())).status).toBe(404);
    expect((await post("/api/admin/shot-length", { channel: EMPTY, ms: null }, bearer())).status).toBe(404);
  });

  it("answer bad bodies with 400 JSON naming the fields, never a 5xx", async () => {
    const cases: { path: string; body: unknown; fields: string[] }[] = [
      { path: "/api/admin/director-role", body: { channel: CHANNEL, identity: "p_a", role: "boss" }, fields: ["role"] },
      { path: "/api/admin/director-role", body: { channel: CHANNEL, identity: "v_viewer_1", role: "never" }, fields: ["identity"] },
      { path: "/api/admin/director-role", body: { channel: 99, identity: "p_a" }, fields: ["channel", "role"] },
      { path: "/api/admin/director-role", body: { channel: CHANNEL, identity: "p_a", role: "favor", extra: 1 }, fields: ["body"] },
      { path: "/api/admin/take", body: { channel: CHANNEL }, fields: ["identity"] },
      { path: "/api/admin/take", body: { channel: CHANNEL, identity: "p_a", shot: "wide" }, fields: ["identity"] },
      { path: "/api/admin/take", body: { channel: CHANNEL, shot: "close-up" }, fields: ["shot"] },
      { path: "/api/admin/take", body: { channel: "12", identity: "director-x" }, fields: ["channel", "identity"] },
      { path: "/api/admin/take", body: [1, 2], fields: ["body"] },
      { path: "/api/admin/shot-length", body: { channel: CHANNEL, ms: SHOT_LENGTH_MAX_MS + 1 }, fields: ["ms"] },
      { path: "/api/admin/shot-length", body: { channel: CHANNEL, ms: -1 }, fields: ["ms"] },
      { path: "/api/admin/shot-length", body: { channel: CHANNEL, ms: 1.5 }, fields: ["ms"] },
      { path: "/api/admin/shot-length", body: { channel: CHANNEL, ms: "2000" }, fields: ["ms"] },
      { path: "/api/admin/shot-length", body: { channel: CHANNEL }, fields: ["ms"] },
      { path: "/api/admin/shot-length", body: null, fields: ["body"] },
    ];
    for (const c of cases) {
      const r = await post(c.path, c.body, bearer());
      expect(r.status, `${c.path} ${JSON.stringify(c.body)}`).toBe(400);
      expect(r.json.code).toBe("bad_request");
      expect(Object.keys(r.json.details as object).sort(), `${c.path} ${JSON.stringify(c.body)}`).toEqual(c.fields);
    }
    for (const a of MIXER_APIS) {
      for (const text of ["{not json", "", "null", `{"channel":${CHANNEL},"x":"${"y".repeat(4000)}"}`]) {
        const r = await post(a.path, text, bearer());
        expect(r.status, `${a.path} ${text.slice(0, 20)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${a.path} ${text.slice(0, 20)}`).toBeLessThan(500);
        expect(typeof r.json.error).toBe("string");
      }
    }
  });
});

describe("the mixer's admin APIs write the room metadata", () => {
  const ada = new Bot("p_it_mix_ada");
  const bo = new Bot("p_it_mix_bo");

  beforeAll(async () => {
    await ada.join(livekitUrl, await botToken(keys, ROOM, ada.identity, { name: "Mix Ada" }));
    await bo.join(livekitUrl, await botToken(keys, ROOM, bo.identity, { name: "Mix Bo" }));
    await until(async () => (await friends(appUrl)).channels[ROOM]?.participants.length === 2, "both bots in channel 12");
    await waitForDirector(livekitUrl, keys, ROOM);
  });
  afterAll(async () => {
    // Leave the channel's metadata at its defaults for whoever uses channel 12 next.
    await adminPost(appUrl, "/api/admin/shot-length", { channel: CHANNEL, ms: null }).catch(() => undefined);
    await ada.leave();
    await bo.leave();
  });

  it("answers 404 for someone not in the channel", async () => {
    for (const body of [
      { path: "/api/admin/director-role", body: { channel: CHANNEL, identity: "p_it_mix_nobody", role: "never" } },
      { path: "/api/admin/take", body: { channel: CHANNEL, identity: "p_it_mix_nobody" } },
    ]) {
      const r = await post(body.path, body.body, bearer());
      expect(r.status, body.path).toBe(404);
      expect(r.json).toMatchObject({ code: "not_found", details: { identity: "p_it_mix_nobody" } });
    }
    expect(parseRoles(await metadata())?.roles["p_it_mix_nobody"]).toBeUndefined();
  });

  it("roles, takes and the shot length each set their own key and keep every other", async () => {
    // A pin first, and the director's answer to it (its program, pinned): the room then
    // holds both other writers' keys.
    const { at: pinAt } = (await adminPost(appUrl, "/api/admin/pin", { channel: CHANNEL, identity: bo.identity })) as { at: number };
    await settled((md) => parseProgram(md)?.pinned === bo.identity && parsePin(md)?.at === pinAt, "the director's program, pinned");

    const role = await adminPost(appUrl, "/api/admin/director-role", { channel: CHANNEL, identity: ada.identity, role: "never" });
    expect(role).toMatchObject({ ok: true, channel: CHANNEL, identity: ada.identity, role: "never" });
    let md = await settled((m) => parseRoles(m)?.at === role.at, "the role");
    expect(parseRoles(md)).toEqual({ roles: { [ada.identity]: "never" }, at: role.at });
    expect(parsePin(md)).toEqual({ identity: bo.identity, at: pinAt });
    const favor = await adminPost(appUrl, "/api/admin/director-role", { channel: CHANNEL, identity: bo.identity, role: "favor" });
    md = await settled((m) => parseRoles(m)?.at === favor.at, "the second role");
    expect(parseRoles(md)?.roles).toEqual({ [ada.identity]: "never", [bo.identity]: "favor" });

    const take = await adminPost(appUrl, "/api/admin/take", { channel: CHANNEL, identity: ada.identity });
    expect(take).toMatchObject({ ok: true, identity: ada.identity, shot: "speaker" });
    md = await settled((m) => parseTake(m)?.at === take.at, "the take");
    expect(parseTake(md)).toEqual({ identity: ada.identity, shot: "speaker", at: take.at });
    expect(parseRoles(md)?.roles).toEqual({ [ada.identity]: "never", [bo.identity]: "favor" });
    expect(parsePin(md)?.at).toBe(pinAt);

    // W: a wide take names nobody, and is newer than the take before it.
    const wide = await adminPost(appUrl, "/api/admin/take", { channel: CHANNEL, shot: "wide" });
    md = await settled((m) => parseTake(m)?.at === wide.at, "the wide take");
    expect(parseTake(md)).toEqual({ identity: null, shot: "wide", at: wide.at });
    expect(wide.at as number).toBeGreaterThan(take.at as number);

    const length = await adminPost(appUrl, "/api/admin/shot-length", { channel: CHANNEL, ms: 2500 });
    expect(length).toMatchObject({ ok: true, channel: CHANNEL, ms: 2500 });
    md = await settled((m) => parseShotLength(m)?.at === length.at, "the shot length");
    expect(parseShotLength(md)).toEqual({ ms: 2500, at: length.at });
    expect(parseTake(md)?.at).toBe(wide.at);
    expect(parseRoles(md)?.roles).toEqual({ [ada.identity]: "never", [bo.identity]: "favor" });
    expect(parsePin(md)).toEqual({ identity: bo.identity, at: pinAt });

    // The director's own key survives all of the above (what it holds is the director's business).
    expect(parseProgram(md)).not.toBeNull();

    // /friends reads them back through the server's read model.
    await until(async () => {
      const ch = (await friends(appUrl)).channels[ROOM] as unknown as { roles: Record<string, string>; shotLengthMs: number | null } | undefined;
      return ch?.shotLengthMs === 2500 && ch.roles[ada.identity] === "never" && ch.roles[bo.identity] === "favor";
    }, "roles and the shot length in /api/admin/friends");

    // auto removes a role; null goes back to the default shot length.
    const auto = await adminPost(appUrl, "/api/admin/director-role", { channel: CHANNEL, identity: ada.identity, role: "auto" });
    const reset = await adminPost(appUrl, "/api/admin/shot-length", { channel: CHANNEL, ms: null });
    await adminPost(appUrl, "/api/admin/pin", { channel: CHANNEL, identity: null });
    md = await settled((m) => parseRoles(m)?.at === auto.at && parseShotLength(m)?.at === reset.at, "auto and the default shot length");
    expect(parseRoles(md)?.roles).toEqual({ [bo.identity]: "favor" });
    expect(parseShotLength(md)?.ms).toBeNull();
    expect(parseTake(md)?.at).toBe(wide.at);
  });
});
