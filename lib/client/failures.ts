/**
 * Every way joining can fail, turned into words a person can act on. The session
 * hooks throw these typed errors; the UI only ever shows `describeFailure`.
 */
import { SUPPORTED_BROWSERS, WebRTCUnsupportedError } from "@/lib/client/webrtc-support";

/** /api/token answered with a non-2xx status. `message` is the server's `error`. */
export class TokenRefusedError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly details: Record<string, string>;
  constructor(message: string, status: number, code?: string, details: Record<string, string> = {}) {
    super(message);
    this.name = "TokenRefusedError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The app server (fetch) or the media server (LiveKit connect) could not be reached. */
export class ServerUnreachableError extends Error {
  readonly target: "app" | "media";
  constructor(target: "app" | "media", message: string) {
    super(message);
    this.name = "ServerUnreachableError";
    this.target = target;
  }
}

/** getUserMedia failed for one device. `cause` keeps the browser's error. */
export type DeviceName = "camera" | "microphone" | "camera and microphone";

export class DeviceError extends Error {
  readonly device: DeviceName;
  readonly reason: "denied" | "not-found" | "in-use" | "insecure" | "other";
  constructor(device: DeviceName, reason: DeviceError["reason"], cause?: unknown) {
    super(`${device}: ${reason}`, { cause });
    this.name = "DeviceError";
    this.device = device;
    this.reason = reason;
  }
}

export interface Failure {
  kind:
    | "permission"
    | "no-device"
    | "device-busy"
    | "insecure"
    | "unreachable"
    | "token"
    | "rate-limited"
    | "channel-full"
    | "banned"
    | "join-code"
    | "unsupported"
    | "unknown";
  title: string;
  message: string;
}

/** Classify a getUserMedia rejection (a DOMException, or LiveKit's wrapper of one). */
export function deviceErrorFrom(device: "camera" | "microphone", err: unknown): DeviceError {
  const name = err instanceof Error || (typeof err === "object" && err !== null && "name" in err)
    ? String((err as { name: unknown }).name)
    : "";
  const text = err instanceof Error ? err.message : "";
  if (name === "NotAllowedError" || name === "SecurityError" || /permission/i.test(text)) {
    return new DeviceError(device, "denied", err);
  }
  if (name === "NotFoundError" || name === "OverconstrainedError" || /not ?found|requested device/i.test(text)) {
    return new DeviceError(device, "not-found", err);
  }
  if (name === "NotReadableError" || name === "AbortError" || /could not start|in use/i.test(text)) {
    return new DeviceError(device, "in-use", err);
  }
  return new DeviceError(device, "other", err);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function describeFailure(err: unknown): Failure {
  if (err instanceof WebRTCUnsupportedError) {
    return {
      kind: "unsupported",
      title: err.what === "call" ? "This browser can't do video calls" : "This browser can't show the program",
      message:
        `It has no WebRTC, which ${err.what === "call" ? "a call" : "the live picture"} needs, so trying again won't help. ` +
        `Open this page in ${SUPPORTED_BROWSERS}, on this device or another one.`,
    };
  }
  if (err instanceof DeviceError) {
    const what = err.device;
    switch (err.reason) {
      case "denied":
        return {
          kind: "permission",
          title: `${capitalize(what)} access ${what.includes(" and ") ? "are" : "is"} blocked`,
          message: `Allow the camera and microphone for this site (the camera icon in the address bar, or your browser's site settings), then try again.`,
        };
      case "not-found": {
        const either = what.replace(" and ", " or ");
        return {
          kind: "no-device",
          title: `No ${either} found`,
          message: `This device has no ${either} we can use. Connect one (or use another device) and try again.`,
        };
      }
      case "in-use":
        return {
          kind: "device-busy",
          title: `The ${what} is busy`,
          message: `Another app or tab is using the ${what}. Close it and try again.`,
        };
      case "insecure":
        return {
          kind: "insecure",
          title: "Camera needs a secure connection",
          message: "Browsers only allow the camera on https:// pages (or localhost). Open this page through the HTTPS address.",
        };
      default:
        return {
          kind: "unknown",
          title: `Couldn't start the ${what}`,
          message: err.cause instanceof Error ? err.cause.message : "The browser refused to start it. Try again.",
        };
    }
  }
  if (err instanceof TokenRefusedError) {
    const wait = Number(err.details.retryAfterS ?? "");
    const inTime = Number.isFinite(wait) && wait > 0 ? (wait >= 90 ? ` in about ${Math.ceil(wait / 60)} minutes` : ` in ${wait} seconds`) : " in a moment";
    switch (err.code) {
      case "too_many_requests":
        return { kind: "rate-limited", title: "Too many join attempts", message: `Too many people or retries from this network at once. Try again${inTime}.` };
      case "channel_full":
        return { kind: "channel-full", title: "This channel is full", message: `${capitalize(err.message)}.` };
      case "banned":
        return { kind: "banned", title: "You were removed from this channel", message: `An organiser removed you. You can join again${inTime}.` };
      case "join_code_required":
        return { kind: "join-code", title: "This event needs a join code", message: "Enter the join code (it is on the QR code's link, or ask the organisers), then try again." };
      case "join_code_wrong":
        return { kind: "join-code", title: "Wrong join code", message: "That join code is not right. Check it (or scan the QR code again), then try again." };
    }
    const fields = Object.entries(err.details).map(([field, msg]) => `${field}: ${msg}`);
    return {
      kind: "token",
      title:
        err.status === 429
          ? "Too many attempts"
          : err.status >= 500
            ? "The server had a problem"
            : "The server refused to let you join",
      message: fields.length > 0 ? `${capitalize(err.message)} (${fields.join("; ")})` : capitalize(err.message),
    };
  }
  if (err instanceof ServerUnreachableError) {
    return {
      kind: "unreachable",
      title: err.target === "app" ? "Can't reach the server" : "Can't reach the media server",
      message:
        err.target === "app"
          ? "Check your network connection (same Wi-Fi as the camera server?) and try again."
          : `The video server didn't answer (${err.message}). It may be restarting; try again in a moment.`,
    };
  }
  return {
    kind: "unknown",
    title: "Something went wrong",
    message: err instanceof Error && err.message ? err.message : "An unexpected error stopped the connection.",
  };
}
