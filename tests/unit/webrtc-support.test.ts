import { afterEach, describe, expect, it, vi } from "vitest";
import { describeFailure } from "@/lib/client/failures";
import { SUPPORTED_BROWSERS, WebRTCUnsupportedError, hasWebRTC } from "@/lib/client/webrtc-support";

describe("a browser without WebRTC", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is detected by a missing RTCPeerConnection, and only the unprefixed one counts", () => {
    expect(hasWebRTC()).toBe(false); // no window at all (the server)
    vi.stubGlobal("window", {});
    expect(hasWebRTC()).toBe(false);
    vi.stubGlobal("window", { webkitRTCPeerConnection: function RTCPeerConnection() {} });
    expect(hasWebRTC()).toBe(false);
    vi.stubGlobal("window", { RTCPeerConnection: function RTCPeerConnection() {} });
    expect(hasWebRTC()).toBe(true);
  });

  it("is told it can't call, what to use instead, and that retrying won't help", () => {
    const call = describeFailure(new WebRTCUnsupportedError("call"));
    expect(call.kind).toBe("unsupported");
    expect(call.title).toBe("This browser can't do video calls");
    expect(call.message).toContain(SUPPORTED_BROWSERS);
    expect(call.message).toMatch(/won't help/);
    const viewer = describeFailure(new WebRTCUnsupportedError("program"));
    expect(viewer.kind).toBe("unsupported");
    expect(viewer.title).toBe("This browser can't show the program");
    expect(viewer.message).toContain(SUPPORTED_BROWSERS);
  });
});
