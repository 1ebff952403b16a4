/**
 * What LiveKit's egress API errors mean to an admin. Pure (no SDK import), so the
 * mapping is unit-tested with the exact messages livekit-server v1.13.5 answers.
 *
 * Measured against livekit-server v1.13.5 with no Redis and no egress worker:
 *   ListEgress / StopEgress → 500 "egress not connected (redis required)", at once;
 *   StartRoomCompositeEgress → 503 "no response from servers" after ~23 s (the SDK's
 *   own 10 s timeout fires first), because the start request goes out on the bus and
 *   nobody answers. With Redis but no egress worker, the start behaves the same.
 * So the API lists first (that is also how it answers 409) and the list tells a
 * missing Egress deployment apart in milliseconds.
 */
import { ApiError } from "@/lib/api-error";

export const EGRESS_NOT_DEPLOYED =
  "Recording and streaming need LiveKit Egress, and no Egress service is connected to LiveKit. " +
  "Deploy Redis and the livekit/egress container next to livekit-server (deploy/docker-compose.yml runs both), " +
  "point livekit.yaml's `redis:` at that Redis, and restart livekit-server. See README › Deploy.";

export const EGRESS_NO_WORKER =
  "LiveKit accepted the request but no Egress worker answered. Check that the egress container is running, " +
  "uses the same Redis and API key as livekit-server, and has a free CPU slot (each recording needs ~2 cores).";

export const LIVEKIT_UNREACHABLE = "LiveKit did not answer; check LIVEKIT_URL and that livekit-server is running.";

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  code?: unknown;
}

function parts(err: unknown): { name: string; message: string; status: number | null } {
  const e = (err && typeof err === "object" ? err : {}) as ErrorLike;
  return {
    name: typeof e.name === "string" ? e.name : "",
    message: typeof e.message === "string" ? e.message : String(err),
    status: typeof e.status === "number" ? e.status : null,
  };
}

/** Map an error from LiveKit's egress API to the ApiError the admin sees. */
export function egressApiError(err: unknown, opts: { channel?: number } = {}): ApiError {
  if (err instanceof ApiError) return err;
  const { name, message, status } = parts(err);
  const upstream = message.replace(/^twirp error \w+: /, "");
  if (/egress not connected|redis required/i.test(message)) {
    return new ApiError("upstream_unavailable", EGRESS_NOT_DEPLOYED, { livekit: upstream });
  }
  if (/no response from servers|request canceled/i.test(message) || name === "TimeoutError" || name === "AbortError") {
    return new ApiError("upstream_unavailable", EGRESS_NO_WORKER, { livekit: upstream });
  }
  if (/requested room does not exist/i.test(message)) {
    const what = opts.channel ? `channel ${opts.channel}` : "that channel";
    return new ApiError("not_found", `${what} is not live: start recording once someone has joined it`);
  }
  if (/egress .*not found|not found/i.test(message) && status === 404) {
    return new ApiError("not_found", "no such egress", { livekit: upstream });
  }
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/i.test(message)) {
    return new ApiError("upstream_unavailable", LIVEKIT_UNREACHABLE);
  }
  if (status === 400) return new ApiError("bad_request", `LiveKit refused the request: ${upstream}`);
  return new ApiError("upstream_unavailable", `LiveKit's egress API failed: ${upstream}`);
}
