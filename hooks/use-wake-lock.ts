"use client";
/**
 * Keeps the screen on while `active` (a phone propped up as a camera must not go to
 * sleep mid-meeting). The browser drops the lock whenever the page is hidden, so it is
 * taken again each time the page comes back; it is released when `active` turns false
 * or the component unmounts (leaving the call). The state is for tests and the UI.
 */
import { useEffect, useState } from "react";

export type WakeLockState = "off" | "held" | "unsupported" | "denied";

interface WakeLockSentinelLike {
  released: boolean;
  release(): Promise<void>;
  addEventListener(type: "release", cb: () => void): void;
}
interface WakeLockNavigator {
  wakeLock?: { request(type: "screen"): Promise<WakeLockSentinelLike> };
}

export function useWakeLock(active: boolean): WakeLockState {
  const [state, setState] = useState<WakeLockState>("off");

  useEffect(() => {
    if (!active) return;
    const api = (navigator as Navigator & WakeLockNavigator).wakeLock;
    if (!api) {
      // Older iOS (< 16.4) and insecure pages: nothing to do but say so.
      const t = setTimeout(() => setState("unsupported"), 0);
      return () => clearTimeout(t);
    }
    let sentinel: WakeLockSentinelLike | null = null;
    let stopped = false;

    const acquire = async () => {
      if (stopped || document.visibilityState !== "visible" || (sentinel && !sentinel.released)) return;
      try {
        const s = await api.request("screen");
        if (stopped) {
          void s.release().catch(() => undefined);
          return;
        }
        sentinel = s;
        setState("held");
        s.addEventListener("release", () => {
          if (!stopped) setState("off");
        });
      } catch {
        // Battery saver, or the page is not visible: try again when it becomes visible.
        if (!stopped) setState("denied");
      }
    };
    void acquire();
    const onVisible = () => void acquire();
    document.addEventListener("visibilitychange", onVisible);

    return () => {
      stopped = true;
      document.removeEventListener("visibilitychange", onVisible);
      if (sentinel && !sentinel.released) void sentinel.release().catch(() => undefined);
      sentinel = null;
      setState("off");
    };
  }, [active]);

  return state;
}
