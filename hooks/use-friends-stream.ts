"use client";

/**
 * /friends' live state: an EventSource on the admin stream (a snapshot, then patches)
 * applied with the pure reducer in lib/friends/model.ts, plus a 4 Hz clock that
 * advances the level sparklines. Events are coalesced into one render per animation
 * frame, so a burst never renders twice. Each render's time (from the event that
 * caused it to the commit) is recorded as a User Timing measure, `cc:friends:render`.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { applyEvent, emptyClientState, sampleLevels, SAMPLE_MS, type ClientState, type FriendsEvent } from "@/lib/friends/model";

export type StreamStatus = "connecting" | "live" | "reconnecting" | "signed-out";

export interface StreamStats {
  /** bytes of the last update's data */
  lastBytes: number;
  /** updates received */
  updates: number;
  /** ms React spent rendering and committing the last update */
  lastRenderMs: number;
}

export const RENDER_MEASURE = "cc:friends:render";
export const LATENCY_MEASURE = "cc:friends:latency";
const EVENT_MARK = "cc:friends:event";
const FLUSH_MARK = "cc:friends:flush";
const REOPEN_MS = 2000;

export function useFriendsStream(url = "/api/admin/friends/stream"): {
  state: ClientState;
  status: StreamStatus;
  stats: StreamStats;
} {
  const [state, setState] = useState<ClientState>(emptyClientState);
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const stats = useRef<StreamStats>({ lastBytes: 0, updates: 0, lastRenderMs: 0 });
  const [shownStats, setShownStats] = useState<StreamStats>({ lastBytes: 0, updates: 0, lastRenderMs: 0 });
  const current = useRef<ClientState>(state);
  const frame = useRef<number | null>(null);
  const eventPending = useRef(false);

  useEffect(() => {
    let closed = false;
    const flush = () => {
      frame.current = null;
      if (closed) return;
      performance.mark(FLUSH_MARK);
      setState(current.current);
      setShownStats({ ...stats.current });
    };
    const schedule = () => {
      if (frame.current === null) frame.current = requestAnimationFrame(flush);
    };
    const onEvent = (e: MessageEvent<string>) => {
      let ev: FriendsEvent;
      try {
        ev = JSON.parse(e.data) as FriendsEvent;
      } catch {
        return;
      }
      if (!eventPending.current) {
        performance.mark(EVENT_MARK);
        eventPending.current = true;
      }
      stats.current.lastBytes = e.data.length;
      stats.current.updates++;
      current.current = applyEvent(current.current, ev);
      setStatus("live");
      schedule();
    };
    // EventSource retries on its own while the app is unreachable, but gives up for good
    // on an answer it can't use (a 5xx from a proxy while the app restarts). Then open
    // a new one, unless the session is gone (401: signed out elsewhere, or expired).
    let es: EventSource;
    let reopen: ReturnType<typeof setTimeout> | null = null;
    const open = () => {
      es = new EventSource(url);
      es.addEventListener("snapshot", onEvent);
      es.addEventListener("patch", onEvent);
      es.onerror = () => {
        if (closed) return;
        setStatus("reconnecting");
        if (es.readyState !== EventSource.CLOSED) return;
        void fetch("/api/admin/friends", { cache: "no-store" })
          .then((r) => r.status)
          .catch(() => 0)
          .then((status) => {
            if (closed) return;
            if (status === 401) setStatus("signed-out");
            else reopen = setTimeout(open, REOPEN_MS);
          });
      };
    };
    open();
    const clock = setInterval(() => {
      current.current = sampleLevels(current.current, Date.now());
      schedule();
    }, SAMPLE_MS);
    return () => {
      closed = true;
      es.close();
      if (reopen) clearTimeout(reopen);
      clearInterval(clock);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [url]);

  useLayoutEffect(() => {
    if (performance.getEntriesByName(FLUSH_MARK).length === 0) return;
    try {
      stats.current.lastRenderMs = performance.measure(RENDER_MEASURE, FLUSH_MARK).duration;
      if (eventPending.current) performance.measure(LATENCY_MEASURE, EVENT_MARK);
    } catch {
      // a mark was cleared
    }
    eventPending.current = false;
    performance.clearMarks(EVENT_MARK);
    performance.clearMarks(FLUSH_MARK);
    // Keep the buffer bounded on a dashboard left open all day.
    if (performance.getEntriesByName(RENDER_MEASURE).length > 2000) performance.clearMeasures();
  }, [state]);

  return { state, status, stats: shownStats };
}
