import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EGRESS_NOT_DEPLOYED } from "@/lib/egress/errors";
import { startApp, type AppInstance } from "../helpers/app-instance";
import { stackEnv } from "../helpers/stack-env";

// A second app instance with an admin password, whose LiveKit is a small Twirp proxy:
// in "real" mode it forwards every call to the stack's real livekit-server (which has
// no Redis and no egress worker, like a fresh deployment); in "fake" mode it answers
// the egress calls itself as a LiveKit with a working Egress would, so the 201, 409
// and stop paths and the exact StartRoomCompositeEgress request are tested too.
const PASSWORD = "integration-egress-admin-7c1d";
const PUBLIC_URL = "https://cc.example.test";
const { livekitUrl } = stackEnv();
const realLivekit = livekitUrl.replace(/^ws/, "http");

let mode: "real" | "fake" = "real";
let active: Record<string, unknown>[] = [];
const starts: Record<string, unknown>[] = [];
let proxy: Server;
let app: AppInstance;
let url: string;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (s += c));
    req.on("end", () => resolve(s));
  });
}

function egressInfo(id: string, room: string, status: string, request: Record<string, unknown>) {
  return { egressId: id, roomId: "RM_fake", roomName: room, status, startedAt: "1764000000000000000", roomComposite: request };
}

async function fakeTwirp(method: string, body: Record<string, unknown>): Promise<[number, unknown]> {
  switch (method) {
    case "ListEgress":
      return [200, { items: active.filter((e) => !body.roomName || e.roomName === body.roomName) }];
    case "StartRoomCompositeEgress": {
      starts.push(body);
      const info = egressInfo(`EG_fake${starts.length}abcd`, String(body.roomName), "EGRESS_STARTING", body);
      active.push(info);
      return [200, info];
    }
    case "StopEgress": {
      const found = active.find((e) => e.egressId === body.egressId);
      if (!found) return [404, { code: "not_found", msg: "egress not found" }];
      active = active.filter((e) => e !== found);
      return [200, { ...found, status: "EGRESS_ENDING" }];
    }
    default:
      return [404, { code: "bad_route", msg: `fake has no ${method}` }];
  }
}


beforeAll(async () => {
  proxy = createServer(async (req, res) => {
    const body = await readBody(req);
    const method = req.url?.split("/").pop() ?? "";
    if (mode === "fake" && req.url?.startsWith("/twirp/livekit.Egress/")) {
      const [status, json] = await fakeTwirp(method, body ? (JSON.parse(body) as Record<string, unknown>) : {});
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
      return;
    }
    try {
      const upstream = await fetch(`${realLivekit}${req.url}`, {
        method: req.method,
        headers: { "content-type": req.headers["content-type"] ?? "application/json", authorization: req.headers.authorization ?? "" },
        body: req.method === "GET" ? undefined : body,
      });
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const proxyPort = (proxy.address() as { port: number }).port;

  app = await startApp({ LIVEKIT_URL: `ws://127.0.0.1:${proxyPort}`, ADMIN_PASSWORD: PASSWORD, APP_PUBLIC_URL: PUBLIC_URL });
  url = app.url;
});

afterAll(async () => {
  await app.stop();
  await new Promise((r) => proxy.close(r));
});

const AUTH = { authorization: `Bearer ${PASSWORD}`, "content-type": "application/json" };
const start = (body: unknown, headers: Record<string, string> = AUTH) =>
  fetch(`${url}/api/admin/egress`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
const stop = (body: unknown, headers: Record<string, string> = AUTH) =>
  fetch(`${url}/api/admin/egress/stop`, { method: "POST", headers, body: JSON.stringify(body) });
const list = (headers: Record<string, string> = AUTH) => fetch(`${url}/api/admin/egress`, { headers });

async function json(res: Response): Promise<{ error: string; code: string; details?: unknown } & Record<string, unknown>> {
  expect(res.headers.get("content-type")).toContain("application/json");
  return (await res.json()) as { error: string; code: string } & Record<string, unknown>;
}

describe("the egress admin API without sign-in", () => {
  it.each([
    ["GET list", () => list({})],
    ["POST start", () => start({ channel: 3, output: { type: "file" } }, { "content-type": "application/json" })],
    ["POST start, bad body", () => start("not json", { "content-type": "application/json" })],
    ["POST stop", () => stop({ channel: 3 }, { "content-type": "application/json" })],
    ["wrong password", () => start({ channel: 3, output: { type: "file" } }, { ...AUTH, authorization: "Bearer nope" })],
  ])("%s → 401", async (_what, call) => {
    const res = await call();
    expect(res.status).toBe(401);
    expect((await json(res)).code).toBe("unauthorized");
  });
});

describe("the egress admin API with bad input", () => {
  it.each([
    ["malformed JSON", "{"],
    ["no output", { channel: 3 }],
    ["channel 21", { channel: 21, output: { type: "file" } }],
    ["unknown output type", { channel: 3, output: { type: "srt" } }],
    ["http as rtmp", { channel: 3, output: { type: "rtmp", urls: ["http://x/y"] } }],
    ["path traversal", { channel: 3, output: { type: "file", filepath: "../x.mp4" } }],
    ["unknown layout", { channel: 3, output: { type: "file" }, layout: "mosaic" }],
  ])("start: %s → 400 naming the field", async (_what, body) => {
    const res = await start(body);
    expect(res.status).toBe(400);
    const b = await json(res);
    expect(b.code).toBe("bad_request");
  });

  it("names the field in details", async () => {
    const b = await json(await start({ channel: 3, output: { type: "rtmp", urls: ["http://x/y"] } }));
    expect(Object.keys(b.details as object)).toEqual(["output.urls.0"]);
  });

  it("stop: neither id nor channel → 400; PUT → 405", async () => {
    expect((await stop({ what: 1 })).status).toBe(400);
    const put = await fetch(`${url}/api/admin/egress`, { method: "PUT", headers: AUTH, body: "{}" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
  });
});

describe("against the real livekit-server, which has no Redis and no egress worker", () => {
  it("start → 503 telling the admin what to deploy, in well under LiveKit's own timeout", async () => {
    mode = "real";
    const t0 = Date.now();
    const res = await start({ channel: 3, output: { type: "file" } });
    const ms = Date.now() - t0;
    expect(res.status).toBe(503);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const b = await json(res);
    expect(b.code).toBe("upstream_unavailable");
    expect(b.error).toBe(EGRESS_NOT_DEPLOYED);
    expect(b.error).toMatch(/Redis/);
    expect(b.details).toEqual({ livekit: "egress not connected (redis required)" });
    expect(ms).toBeLessThan(3000);
  });

  it("list and stop → the same 503", async () => {
    mode = "real";
    const l = await list();
    expect(l.status).toBe(503);
    expect((await json(l)).error).toBe(EGRESS_NOT_DEPLOYED);
    const s = await stop({ channel: 3 });
    expect(s.status).toBe(503);
  });
});

describe("against a LiveKit whose Egress answers (fake Twirp)", () => {
  it("starts a RoomComposite egress on our layout, lists it, refuses a second with 409, and stops it", async () => {
    mode = "fake";
    active = [];
    const res = await start({ channel: 5, layout: "program-strip", output: { type: "rtmp", urls: ["rtmp://live.example.com/app/SECRET-KEY"] } });
    expect(res.status).toBe(201);
    const { egress } = (await json(res)) as unknown as { egress: { egressId: string; channel: number; state: string; output: { type: string; location: string } } };
    expect(egress).toMatchObject({ channel: 5, state: "starting", output: { type: "rtmp", location: "rtmp://live.example.com/…" } });
    expect(JSON.stringify(egress)).not.toContain("SECRET-KEY");

    const sent = starts.at(-1)!;
    expect(sent).toMatchObject({
      roomName: "channel-5",
      layout: "program-strip",
      customBaseUrl: `${PUBLIC_URL}/egress`,
    });
    // H264_720P_30 (1280×720) is the preset enum's 0, which proto3 JSON leaves out.
    expect(sent.preset ?? "H264_720P_30").toBe("H264_720P_30");

    const listed = (await json(await list())) as unknown as { egresses: { egressId: string; channel: number }[] };
    expect(listed.egresses.map((e) => [e.egressId, e.channel])).toEqual([[egress.egressId, 5]]);

    const again = await start({ channel: 5, output: { type: "file" } });
    expect(again.status).toBe(409);
    // A file asks for H.264 + Opus (Debian's GStreamer has no AAC encoder for the presets).
    const file = await start({ channel: 7, output: { type: "file" } });
    expect(file.status).toBe(201);
    expect(starts.at(-1)).toMatchObject({
      roomName: "channel-7",
      advanced: { width: 1280, height: 720, framerate: 30, videoCodec: "H264_MAIN", audioCodec: "OPUS", audioFrequency: 48000 },
    });
    const conflict = await json(again);
    expect(conflict.code).toBe("conflict");
    expect(conflict.details).toEqual({ egressId: egress.egressId });

    // Another channel is free. Request headers cannot steer where Egress loads the
    // layout (and sends its recorder token): it is APP_PUBLIC_URL whatever they say.
    const other = await start(
      { channel: 6, output: { type: "hls" } },
      { ...AUTH, "x-forwarded-host": "evil.example", "x-forwarded-proto": "http" },
    );
    expect(other.status).toBe(201);
    expect(starts.at(-1)).toMatchObject({
      roomName: "channel-6",
      layout: "program",
      customBaseUrl: `${PUBLIC_URL}/egress`,
      segmentOutputs: [{ playlistName: "playlist.m3u8", segmentDuration: 6 }],
    });

    const stopped = await stop({ channel: 5 });
    expect(stopped.status).toBe(200);
    const sb = (await json(stopped)) as unknown as { stopped: { egressId: string; state: string }[] };
    expect(sb.stopped).toEqual([expect.objectContaining({ egressId: egress.egressId, state: "ending" })]);
    expect((await stop({ channel: 5 })).status).toBe(404);
    expect((await stop({ egressId: "EG_doesnotexist" })).status).toBe(404);
    expect((await start({ channel: 5, output: { type: "file" } })).status).toBe(201);
  });
});
