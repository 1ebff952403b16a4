import { describe, expect, it } from "vitest";
import { phoneBaseUrl, phoneJoinUrl, publicLivekitUrl } from "@/lib/public-url";

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

describe("phoneBaseUrl / phoneJoinUrl", () => {
  it("uses PHONE_URL (npm start's LAN URL) when set", () => {
    expect(phoneBaseUrl({ configured: "https://192.168.1.20:9443/", host: "localhost:9000", protocol: "http" })).toBe(
      "https://192.168.1.20:9443",
    );
  });
  it("else the page's own origin when reached over https", () => {
    expect(phoneBaseUrl({ host: "cc.example.com", protocol: "https" })).toBe("https://cc.example.com");
  });
  it("else none: a plain-http LAN page gets no camera on a phone", () => {
    expect(phoneBaseUrl({ host: "192.168.1.20:9000", protocol: "http" })).toBeNull();
    expect(phoneBaseUrl({ host: null, protocol: "https" })).toBeNull();
  });
  it("preselects the channel", () => {
    expect(phoneJoinUrl("https://192.168.1.20:9443", 7)).toBe("https://192.168.1.20:9443/?channel=7");
    expect(phoneJoinUrl("https://192.168.1.20:9443/", null)).toBe("https://192.168.1.20:9443/");
    expect(phoneJoinUrl("https://cc.example.com/base", 3)).toBe("https://cc.example.com/base/?channel=3");
  });
});
