import { AudioCodec, EncodingOptions, EncodingOptionsPreset, VideoCodec } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api-error";
import { EGRESS_PRESETS, programEncoding } from "@/lib/egress/encoding";
import { EGRESS_NOT_DEPLOYED, EGRESS_NO_WORKER, egressApiError } from "@/lib/egress/errors";
import {
  redactStreamUrl,
  resolveLayout,
  startEgressRequestSchema,
  stopEgressRequestSchema,
} from "@/lib/egress/schema";

describe("startEgressRequestSchema", () => {
  const ok = (body: unknown) => startEgressRequestSchema.safeParse(body).success;

  it("accepts each output type and defaults the layout", () => {
    const file = startEgressRequestSchema.parse({ channel: 3, output: { type: "file" } });
    expect(file).toEqual({ channel: 3, output: { type: "file" }, layout: "program" });
    expect(ok({ channel: 3, output: { type: "file", filepath: "rec/{room_name}-{time}.mp4" } })).toBe(true);
    expect(ok({ channel: 3, output: { type: "rtmp", urls: ["rtmp://a.rtmp.youtube.com/live2/key"] }, layout: "program-strip" })).toBe(true);
    expect(ok({ channel: 3, output: { type: "rtmp", urls: ["rtmps://live.example.com:443/app/key"] } })).toBe(true);
    expect(ok({ channel: 20, output: { type: "hls", segmentDuration: 4, playlistName: "live.m3u8" } })).toBe(true);
  });

  it.each([
    ["no body fields", {}],
    ["channel 0", { channel: 0, output: { type: "file" } }],
    ["channel 21", { channel: 21, output: { type: "file" } }],
    ["channel as string", { channel: "3", output: { type: "file" } }],
    ["missing output", { channel: 3 }],
    ["unknown output type", { channel: 3, output: { type: "srt" } }],
    ["absolute file path", { channel: 3, output: { type: "file", filepath: "/etc/passwd.mp4" } }],
    ["path traversal", { channel: 3, output: { type: "file", filepath: "a/../../b.mp4" } }],
    ["wrong extension", { channel: 3, output: { type: "file", filepath: "a.exe" } }],
    ["http as rtmp", { channel: 3, output: { type: "rtmp", urls: ["http://example.com/live"] } }],
    ["no rtmp urls", { channel: 3, output: { type: "rtmp", urls: [] } }],
    ["four rtmp urls", { channel: 3, output: { type: "rtmp", urls: Array(4).fill("rtmp://h/a/k") } }],
    ["segment 1 s", { channel: 3, output: { type: "hls", segmentDuration: 1 } }],
    ["playlist not m3u8", { channel: 3, output: { type: "hls", playlistName: "x.txt" } }],
    ["unknown layout", { channel: 3, output: { type: "file" }, layout: "grid" }],
    ["extra field", { channel: 3, output: { type: "file" }, preset: "4k" }],
    ["extra output field", { channel: 3, output: { type: "file", s3: {} } }],
  ])("refuses %s", (_what, body) => {
    expect(ok(body)).toBe(false);
  });
});

describe("stopEgressRequestSchema", () => {
  it("takes an egress id or a channel, not both and not neither", () => {
    expect(stopEgressRequestSchema.safeParse({ egressId: "EG_abcdEFGH1234" }).success).toBe(true);
    expect(stopEgressRequestSchema.safeParse({ channel: 4 }).success).toBe(true);
    expect(stopEgressRequestSchema.safeParse({ egressId: "EG_abcdEFGH1234", channel: 4 }).success).toBe(false);
    expect(stopEgressRequestSchema.safeParse({}).success).toBe(false);
    expect(stopEgressRequestSchema.safeParse({ egressId: "../x" }).success).toBe(false);
  });
});

describe("resolveLayout", () => {
  it("maps our names and LiveKit's aliases, and defaults the rest to the program", () => {
    expect(resolveLayout("program")).toBe("program");
    expect(resolveLayout("program-strip")).toBe("program-strip");
    expect(resolveLayout("speaker-dark")).toBe("program-strip");
    expect(resolveLayout("single-speaker")).toBe("program");
    expect(resolveLayout("")).toBe("program");
    expect(resolveLayout(null)).toBe("program");
    expect(resolveLayout("something-else")).toBe("program");
  });
});

describe("redactStreamUrl", () => {
  it("drops the path, where the stream key lives", () => {
    expect(redactStreamUrl("rtmp://a.rtmp.youtube.com/live2/secret-key")).toBe("rtmp://a.rtmp.youtube.com/…");
    expect(redactStreamUrl("not a url")).toBe("(stream)");
  });
});

describe("egressApiError", () => {
  // The exact errors livekit-server v1.13.5 answers without Redis / egress workers.
  const serverError = (message: string, status: number) => Object.assign(new Error(message), { name: "ServerError", status });

  it("no Redis: a 503 that says what to deploy", () => {
    const e = egressApiError(serverError("twirp error unknown: egress not connected (redis required)", 500));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(503);
    expect(e.message).toBe(EGRESS_NOT_DEPLOYED);
    expect(e.message).toMatch(/Redis/);
    expect(e.message).toMatch(/egress/);
    expect(e.details).toEqual({ livekit: "egress not connected (redis required)" });
  });

  it("no worker answering (or the client's timeout): a 503 about the worker", () => {
    expect(egressApiError(serverError("twirp error unknown: no response from servers", 503)).message).toBe(EGRESS_NO_WORKER);
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(egressApiError(timeout).status).toBe(503);
    expect(egressApiError(timeout).message).toBe(EGRESS_NO_WORKER);
  });

  it("a channel nobody is in: 404 naming the channel", () => {
    const e = egressApiError(serverError("twirp error unknown: requested room does not exist", 404), { channel: 7 });
    expect(e.status).toBe(404);
    expect(e.message).toMatch(/channel 7/);
  });

  it("LiveKit down: 503; an ApiError passes through", () => {
    expect(egressApiError(new TypeError("fetch failed")).status).toBe(503);
    const own = new ApiError("conflict", "busy");
    expect(egressApiError(own)).toBe(own);
  });
});

describe("egress settings", () => {
  it("default to 720p and no fixed URLs, and refuse a non-http public URL", async () => {
    const { parseEnv } = await import("@/lib/env");
    const e = parseEnv({});
    expect(e.EGRESS_PRESET).toBe("H264_720P_30");
    expect(e.APP_PUBLIC_URL).toBeUndefined();
    expect(e.EGRESS_LAYOUT_URL).toBeUndefined();
    expect(parseEnv({ APP_PUBLIC_URL: "https://app.example.com" }).APP_PUBLIC_URL).toBe("https://app.example.com");
    expect(() => parseEnv({ APP_PUBLIC_URL: "ftp://x" })).toThrow(/APP_PUBLIC_URL/);
    expect(() => parseEnv({ EGRESS_PRESET: "4K" })).toThrow(/EGRESS_PRESET/);
  });
});

describe("programEncoding", () => {
  it("asks Egress for H.264 with Opus at the preset's size, never the presets' AAC (no faac in Debian's GStreamer)", () => {
    for (const [preset, p] of Object.entries(EGRESS_PRESETS)) {
      const e = programEncoding(preset as keyof typeof EGRESS_PRESETS, "file");
      if (!(e instanceof EncodingOptions)) throw new Error("a file output must get explicit encoding options");
      expect(e.audioCodec).toBe(AudioCodec.OPUS);
      expect(e.audioFrequency).toBe(48000);
      expect(e.videoCodec).toBe(VideoCodec.H264_MAIN);
      expect([e.width, e.height, e.framerate]).toEqual([p.width, p.height, p.framerate]);
    }
  });

  it("keeps the preset (AAC) for RTMP and HLS, which Egress only muxes with AAC", () => {
    expect(programEncoding("H264_1080P_30", "rtmp")).toBe(EncodingOptionsPreset.H264_1080P_30);
    expect(programEncoding("H264_720P_30", "hls")).toBe(EncodingOptionsPreset.H264_720P_30);
  });
});
