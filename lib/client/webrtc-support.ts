/**
 * Whether this browser can make a call at all. A call needs WebRTC
 * (RTCPeerConnection); some browsers have a camera, a microphone and Web Audio but no
 * WebRTC (Debian's WebKitGTK, embedded web views, old or locked-down browsers).
 * Checked before any token is asked for or any connection is made, so such a browser
 * gets a clear message instead of a LiveKit error.
 */

/** What to use instead, shown wherever a call or the program can't start. */
export const SUPPORTED_BROWSERS = "Safari (iPhone, iPad or Mac), Chrome, Edge or Firefox";

export class WebRTCUnsupportedError extends Error {
  /** "call": the participant page; "program": the viewer. */
  readonly what: "call" | "program";
  constructor(what: "call" | "program") {
    super("this browser has no WebRTC (RTCPeerConnection)");
    this.name = "WebRTCUnsupportedError";
    this.what = what;
  }
}

/** False when RTCPeerConnection is missing (also on the server, where there is no window). */
export function hasWebRTC(): boolean {
  if (typeof window === "undefined") return false;
  // LiveKit uses the unprefixed constructor only, so a prefixed one doesn't count.
  return typeof (window as unknown as Record<string, unknown>).RTCPeerConnection === "function";
}
