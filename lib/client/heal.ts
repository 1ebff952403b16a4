/**
 * How the pages heal a lost connection (pure, shared by the participant page, /viewer
 * and the egress layout).
 *
 * livekit-client first retries on its own (resume, then a full reconnect with the same
 * token). Our policy keeps those retries at most 3 s apart, so a restarted LiveKit is
 * found within 3 s, and gives up after 20 s. After that, or when LiveKit says the
 * session is gone, the page rejoins by itself with a fresh token: same name, channel,
 * identity (the server keeps it in a cookie), camera and microphone (mute included).
 * Only what a person or an admin did on purpose ends a session.
 */
import { DisconnectReason, type ReconnectContext, type ReconnectPolicy } from "livekit-client";

const SDK_RETRY_DELAYS_MS = [0, 300, 1000, 2000];
const SDK_RETRY_MAX_MS = 3000;
const SDK_GIVE_UP_AFTER_MS = 20_000;

export const HEAL_RECONNECT_POLICY: ReconnectPolicy = {
  nextRetryDelayInMs: (ctx: ReconnectContext) =>
    ctx.elapsedMs > SDK_GIVE_UP_AFTER_MS ? null : (SDK_RETRY_DELAYS_MS[ctx.retryCount] ?? SDK_RETRY_MAX_MS),
};

/**
 * A disconnect someone chose: leaving, the same person joining elsewhere, an admin's
 * remove, the room deleted or closed because everyone left.
 */
export function isDeliberateDisconnect(reason: DisconnectReason | undefined): boolean {
  return (
    reason === DisconnectReason.CLIENT_INITIATED ||
    reason === DisconnectReason.DUPLICATE_IDENTITY ||
    reason === DisconnectReason.PARTICIPANT_REMOVED ||
    reason === DisconnectReason.ROOM_DELETED ||
    reason === DisconnectReason.ROOM_CLOSED
  );
}

/** Wait before the page's own rejoin attempt `attempt` (0-based): 0, 1, 2, 4, 5, 5 … s. */
export function rejoinDelayMs(attempt: number): number {
  return attempt === 0 ? 0 : Math.min(5000, 1000 * 2 ** (attempt - 1));
}

/** setTimeout as a promise that an AbortSignal cuts short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}
