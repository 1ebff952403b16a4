"use client";
/**
 * The layout page's connection, made exactly as LiveKit Egress expects: the `url`,
 * `token` and `layout` query parameters read through @livekit/egress-sdk, the room
 * handed to EgressHelper (which logs END_RECORDING when the room ends), and layout
 * changes from Egress.UpdateLayout followed live.
 */
import { useEffect, useState } from "react";
import { Room, RoomEvent } from "livekit-client";
import EgressHelper from "@livekit/egress-sdk";
import { resolveLayout, type EgressLayout } from "@/lib/egress/schema";

export type EgressRoomState =
  | { phase: "connecting"; room: null; layout: EgressLayout; error: null }
  | { phase: "connected"; room: Room; layout: EgressLayout; error: null }
  | { phase: "ended"; room: null; layout: EgressLayout; error: null }
  | { phase: "failed"; room: null; layout: EgressLayout; error: string };

export function useEgressRoom(): EgressRoomState {
  const [state, setState] = useState<EgressRoomState>({ phase: "connecting", room: null, layout: "program", error: null });

  useEffect(() => {
    let cancelled = false;
    let url: string;
    let token: string;
    let layout: EgressLayout;
    try {
      url = EgressHelper.getLiveKitURL();
      token = EgressHelper.getAccessToken();
      layout = resolveLayout(EgressHelper.getLayout());
    } catch (err) {
      // Not opened by Egress (someone browsed to /egress): explain instead of failing.
      const message = err instanceof Error ? err.message : String(err);
      const t = setTimeout(() => setState({ phase: "failed", room: null, layout: "program", error: message }), 0);
      return () => clearTimeout(t);
    }

    // Adaptive stream pulls each camera at the size it is drawn, and pauses cameras that
    // are not drawn at all: the program at full size, strip tiles at their small size.
    const room = new Room({ adaptiveStream: true, dynacast: false });
    const onEnded = () => {
      if (!cancelled) setState((s) => ({ phase: "ended", room: null, layout: s.layout, error: null }));
    };
    room.on(RoomEvent.Disconnected, onEnded);
    // Registered before setRoom: the SDK calls it as soon as it reads the recorder's metadata.
    EgressHelper.onLayoutChanged((value: string) => {
      if (!cancelled) setState((s) => ({ ...s, layout: resolveLayout(value) }) as EgressRoomState);
    });

    room
      .connect(url, token, { autoSubscribe: true })
      .then(() => {
        if (cancelled) return void room.disconnect(true);
        EgressHelper.setRoom(room);
        setState({ phase: "connected", room, layout, error: null });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        const message = err instanceof Error ? err.message : String(err);
        setState({ phase: "failed", room: null, layout, error: message });
        // Nothing will ever be drawn: tell Egress to stop rather than record a blank page.
        EgressHelper.endRecording();
      });

    return () => {
      cancelled = true;
      // An unmount (strict mode's rehearsal, or a navigation) is not the room ending:
      // unhook the SDK's END_RECORDING before disconnecting.
      room.off(RoomEvent.Disconnected, onEnded);
      room.off(RoomEvent.Disconnected, EgressHelper.endRecording);
      void room.disconnect(true);
    };
  }, []);

  return state;
}
