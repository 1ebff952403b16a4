import { describe, expect, it } from "vitest";
import { publicLivekitUrl } from "@/lib/public-url";

const internalUrl = "ws://127.0.0.1:7880";

describe("publicLivekitUrl", () => {
  it("uses the host the page was reached on, with LiveKit's port", () => {
    expect(publicLivekitUrl({ internalUrl, host: "localhost:9000", protocol: "http" })).toBe("ws://localhost:7880");
    expect(publicLivekitUrl({ internalUrl, host: "192.168.1.20:9000", protocol: "http" })).toBe("ws://192.168.1.20:7880");
    expect(publicLivekitUrl({ internalUrl, host: "[::1]:9000", protocol: "http" })).toBe("ws://[::1]:7880");
  });

  it("over https, points at the same origin with wss (the entry point proxies signalling)", () => {
    expect(publicLivekitUrl({ internalUrl, host: "192.168.1.20:9443", protocol: "https" })).toBe("wss://192.168.1.20:9443");
  });

  it("LIVEKIT_PUBLIC_URL overrides everything", () => {
    expect(
      publicLivekitUrl({ override: "wss://lk.example.com/", internalUrl, host: "app.example.com", protocol: "https" }),
    ).toBe("wss://lk.example.com");
  });

  it("falls back to the internal host without a Host header", () => {
    expect(publicLivekitUrl({ internalUrl, host: null, protocol: "http" })).toBe("ws://127.0.0.1:7880");
  });
});
