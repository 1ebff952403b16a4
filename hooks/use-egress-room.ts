"use client";
/**
 * The layout page's connection, made exactly as LiveKit Egress expects: the `url`,
 * `token` and `layout` query parameters read through @livekit/egress-sdk, the room
 * handed to EgressHelper (which logs END_RECORDING when the room ends), and layout
 * changes from Egress.UpdateLayout followed live. A connection LiveKit loses (a restart)
 * is rejoined rather than ending the recording (lib/client/heal).
 */
import { useEffect, useState } from "react";
import { DisconnectReason, Room, RoomEvent } from "livekit-client";
import { HEAL_RECONNECT_POLICY, isDeliberateDisconnect, rejoinDelayMs, sleep } from "@/lib/client/heal";
import EgressHelper from "@livekit/egress-sdk";
import { resolveLayout, type EgressLayout } from "@/lib/egress/schema";

const HEAL_GIVE_UP_MS = 60_000;

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
    let room: Room | null = null;
    let current = layout;
    const abort = new AbortController();
    // Registered before setRoom: the SDK calls it as soon as it reads the recorder's metadata.
    EgressHelper.onLayoutChanged((value: string) => {
      current = resolveLayout(value);
      if (!cancelled) setState((s) => ({ ...s, layout: current }) as EgressRoomState);
    });

    const open = async () => {
      const r = new Room({ adaptiveStream: true, dynacast: false, reconnectPolicy: HEAL_RECONNECT_POLICY });
      room = r;
      r.on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        if (cancelled || r !== room || healing) return;
        if (isDeliberateDisconnect(reason)) {
          // The room ended (everyone left, or it was deleted): so does the recording.
          setState({ phase: "ended", room: null, layout: current, error: null });
          EgressHelper.endRecording();
        } else void heal();
      });
      await r.connect(url, token, { autoSubscribe: true });
      if (cancelled) return void r.disconnect(true);
      EgressHelper.setRoom(r);
      // EgressHelper ends the recording on any disconnect; a lost connection (LiveKit
      // restarted) heals instead, and only a deliberate end stops it (above).
      r.off(RoomEvent.Disconnected, EgressHelper.endRecording);
      setState({ phase: "connected", room: r, layout: current, error: null });
    };

    // LiveKit lost the connection for good: rejoin with the same token (Egress gave us
    // the only one) until it works; the picture holds meanwhile. Give up after a minute
    // and end the recording rather than record a frozen page for ever.
    let healing = false;
    const heal = async () => {
      healing = true;
      const since = Date.now();
      for (let attempt = 0; !cancelled; attempt++) {
        await sleep(rejoinDelayMs(attempt), abort.signal);
        if (cancelled) return;
        if (Date.now() - since > HEAL_GIVE_UP_MS) {
          setState({ phase: "failed", room: null, layout: current, error: "lost the connection to LiveKit and could not rejoin" });
          EgressHelper.endRecording();
          return;
        }
        const old = room;
        room = null;
        if (old) void old.disconnect(false);
        try {
          await open();
          healing = false;
          return;
        } catch {
          // not back yet
        }
      }
    };

    open().catch((err: unknown) => {
      if (cancelled) return;
      const message = err instanceof Error ? err.message : String(err);
      setState({ phase: "failed", room: null, layout, error: message });
      // Nothing will ever be drawn: tell Egress to stop rather than record a blank page.
      EgressHelper.endRecording();
    });

    return () => {
      cancelled = true;
      abort.abort();
      // An unmount (strict mode's rehearsal, or a navigation) is not the room ending:
      // unhook the SDK's END_RECORDING before disconnecting.
      const r = room;
      room = null;
      if (r) {
        r.off(RoomEvent.Disconnected, EgressHelper.endRecording);
        void r.disconnect(true);
      }
    };
  }, []);

  return state;
}
