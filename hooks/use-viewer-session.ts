"use client";
/**
 * A viewer's connection to one channel: hidden, subscribe-only. One mount is one
 * attempt; the caller remounts with a new key to retry. A connection LiveKit lost for
 * good (not a deliberate end) is reported as `lost`, and the caller remounts at once:
 * a projector rejoins on its own (lib/client/heal).
 */
import { Room } from "livekit-client";
import { fetchToken } from "@/lib/client/token";
import { WebRTCUnsupportedError, hasWebRTC } from "@/lib/client/webrtc-support";
import { HEAL_RECONNECT_POLICY } from "@/lib/client/heal";
import { useRoomConnection, type RoomConnection } from "@/hooks/use-room-connection";

export const VIEWER_NAME = "Viewer";

export function useViewerSession(channel: number): RoomConnection {
  return useRoomConnection(
    // Adaptive stream pauses every camera that is not attached to an element, so the
    // viewer only pulls the program's video (and the one it is switching to).
    () => new Room({ adaptiveStream: true, dynacast: false, reconnectPolicy: HEAL_RECONNECT_POLICY }),
    () => {
      const token = (signal: AbortSignal) => fetchToken({ name: VIEWER_NAME, channel, role: "viewer" }, signal);
      return {
        whenLost: "report",
        token,
        connectOptions: { autoSubscribe: true },
        prepare: async (signal) => {
          // Checked before a token is asked for: without WebRTC no picture can arrive.
          if (!hasWebRTC()) throw new WebRTCUnsupportedError("program");
          return token(signal);
        },
      };
    },
    [channel],
  );
}
