"use client";
/**
 * A viewer's connection to one channel: hidden, subscribe-only. Like the participant
 * session, one mount is one attempt; the caller remounts with a new key to retry.
 * A connection LiveKit lost for good (not a deliberate end) is reported as `lost`, and
 * the caller remounts at once: a projector rejoins on its own (lib/client/heal).
 */
import { useEffect, useReducer } from "react";
import { ConnectionError, DisconnectReason, Room, RoomEvent } from "livekit-client";
import { ServerUnreachableError, describeFailure, type Failure } from "@/lib/client/failures";
import { fetchToken } from "@/lib/client/token";
import { WebRTCUnsupportedError, hasWebRTC } from "@/lib/client/webrtc-support";
import { HEAL_RECONNECT_POLICY, isDeliberateDisconnect } from "@/lib/client/heal";
import { endedMessage, type ConnState } from "@/hooks/use-participant-session";

export const VIEWER_NAME = "Viewer";

interface ViewerState {
  state: ConnState;
  room: Room | null;
  failure: Failure | null;
  ended: string | null;
  /** The connection was lost without anyone ending it: rejoin now. */
  lost: boolean;
}

type Action =
  | { type: "connected"; room: Room }
  | { type: "state"; state: ConnState }
  | { type: "failed"; failure: Failure }
  | { type: "ended"; message: string }
  | { type: "lost" };

function reducer(s: ViewerState, a: Action): ViewerState {
  switch (a.type) {
    case "connected":
      return { ...s, state: "connected", room: a.room };
    case "state":
      return { ...s, state: a.state };
    case "failed":
      return { ...s, state: "disconnected", failure: a.failure, room: null };
    case "ended":
      return { ...s, state: "disconnected", ended: a.message };
    case "lost":
      return { ...s, state: "reconnecting", lost: true };
  }
}

export function useViewerSession(channel: number): ViewerState {
  const [s, dispatch] = useReducer(reducer, { state: "connecting", room: null, failure: null, ended: null, lost: false });

  useEffect(() => {
    let cancelled = false;
    const abort = new AbortController();
    let room: Room | null = null;
    const release = () => {
      if (room) void room.disconnect(true);
    };

    const run = async () => {
      // Checked before a token is asked for: without WebRTC no picture can arrive.
      if (!hasWebRTC()) throw new WebRTCUnsupportedError("program");
      const token = await fetchToken({ name: VIEWER_NAME, channel, role: "viewer" }, abort.signal);
      if (cancelled) return;
      // Adaptive stream pauses every camera that is not attached to an element, so the
      // viewer only pulls the program's video (and the one it is switching to).
      const r = new Room({ adaptiveStream: true, dynacast: false, reconnectPolicy: HEAL_RECONNECT_POLICY });
      room = r;
      r.on(RoomEvent.Reconnecting, () => !cancelled && dispatch({ type: "state", state: "reconnecting" }))
        .on(RoomEvent.SignalReconnecting, () => !cancelled && dispatch({ type: "state", state: "reconnecting" }))
        .on(RoomEvent.Reconnected, () => !cancelled && dispatch({ type: "state", state: "connected" }))
        .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
          if (cancelled) return;
          if (isDeliberateDisconnect(reason)) dispatch({ type: "ended", message: endedMessage(reason) });
          else dispatch({ type: "lost" });
        });
      try {
        await r.connect(token.serverUrl, token.token, { autoSubscribe: true });
      } catch (err) {
        if (cancelled) return release();
        if (err instanceof ConnectionError) {
          throw new ServerUnreachableError("media", `${token.serverUrl}: ${err.message}`);
        }
        throw err;
      }
      if (cancelled) return release();
      dispatch({ type: "connected", room: r });
    };

    run().catch((err: unknown) => {
      if (cancelled) return;
      release();
      dispatch({ type: "failed", failure: describeFailure(err) });
    });

    return () => {
      cancelled = true;
      abort.abort();
      release();
    };
  }, [channel]);

  return s;
}
