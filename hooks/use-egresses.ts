"use client";
/**
 * Active egresses for the admin dashboard, polled from GET /api/admin/egress (LiveKit
 * is the source of truth; the app keeps nothing). One instance per page; pass each
 * channel's entry to <RecordingIndicator>.
 */
import { useCallback, useEffect, useState } from "react";
import type { ActiveEgress, EgressOutput } from "@/lib/egress/schema";
import { EgressApiError, listEgresses, startEgress, stopChannelEgress } from "@/lib/egress/client";

export interface EgressesState {
  egresses: ActiveEgress[];
  /** Why egress is unavailable (the API's 503 message), or the last error; null when fine. */
  error: string | null;
  /** True when the last answer was a 503: no Egress deployed. */
  unavailable: boolean;
  /** Channels with a start or stop in flight. */
  busy: ReadonlySet<number>;
  start: (channel: number, output?: EgressOutput) => Promise<void>;
  stop: (channel: number) => Promise<void>;
}

export function useEgresses(pollMs = 3000): EgressesState {
  const [egresses, setEgresses] = useState<ActiveEgress[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [busy, setBusy] = useState<ReadonlySet<number>>(new Set());
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    listEgresses(abort.signal).then(
      (list) => {
        setEgresses(list);
        setError(null);
        setUnavailable(false);
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        setError(err instanceof Error ? err.message : String(err));
        setUnavailable(err instanceof EgressApiError && err.status === 503);
      },
    );
    const t = setTimeout(() => setTick((n) => n + 1), pollMs);
    return () => {
      abort.abort();
      clearTimeout(t);
    };
  }, [tick, pollMs]);

  const withBusy = useCallback(async (channel: number, fn: () => Promise<unknown>) => {
    setBusy((s) => new Set(s).add(channel));
    try {
      await fn();
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setUnavailable(err instanceof EgressApiError && err.status === 503);
    } finally {
      setBusy((s) => {
        const next = new Set(s);
        next.delete(channel);
        return next;
      });
      setTick((n) => n + 1);
    }
  }, []);

  const start = useCallback(
    (channel: number, output: EgressOutput = { type: "file" }) => withBusy(channel, () => startEgress({ channel, output })),
    [withBusy],
  );
  const stop = useCallback((channel: number) => withBusy(channel, () => stopChannelEgress(channel)), [withBusy]);

  return { egresses, error, unavailable, busy, start, stop };
}
