"use client";
/**
 * One channel's recording state for the admin dashboard: a red REC / LIVE / HLS light
 * with the running time while an egress runs, "Starting…" while Egress spins up, and
 * optional Record / Stop buttons. Presentational: the page polls once with
 * useEgresses() and passes each channel its entry.
 *
 *   const eg = useEgresses();
 *   <RecordingIndicator channel={n} egress={eg.egresses.find((e) => e.channel === n) ?? null}
 *     busy={eg.busy.has(n)} unavailable={eg.unavailable} onStart={() => eg.start(n)} onStop={() => eg.stop(n)} />
 */
import { useEffect, useState } from "react";
import type { ActiveEgress } from "@/lib/egress/schema";

const LABEL: Record<ActiveEgress["output"]["type"], string> = { file: "REC", rtmp: "LIVE", hls: "HLS", unknown: "REC" };

export function RecordingIndicator({
  channel,
  egress,
  busy = false,
  unavailable = false,
  onStart,
  onStop,
}: {
  channel: number;
  egress: ActiveEgress | null;
  busy?: boolean;
  /** Egress is not deployed (the API answered 503): the Record button is disabled. */
  unavailable?: boolean;
  onStart?: () => void;
  onStop?: () => void;
}) {
  const state = egress?.state ?? "idle";
  const where = egress?.output.location ? ` → ${egress.output.location}` : "";
  return (
    <div
      data-testid="recording-indicator"
      data-channel={channel}
      data-state={state}
      className="inline-flex items-center gap-2 text-xs font-semibold"
    >
      {egress && state === "active" ? (
        <span
          title={`Channel ${channel}: ${egress.output.type}${where}`}
          className="inline-flex h-7 items-center gap-1.5 rounded-md bg-onair px-2 tracking-[0.15em] text-white uppercase"
        >
          <span className="size-2 animate-pulse rounded-full bg-white" aria-hidden="true" />
          {LABEL[egress.output.type]}
          {egress.startedAt ? <Elapsed since={egress.startedAt} /> : null}
        </span>
      ) : egress ? (
        <span className="inline-flex h-7 items-center gap-1.5 rounded-md bg-amber-500/15 px-2 text-amber-300 ring-1 ring-inset ring-amber-400/30">
          <span className="size-2 animate-pulse rounded-full bg-amber-400" aria-hidden="true" />
          {state === "starting" ? "Starting…" : "Stopping…"}
        </span>
      ) : (
        <span className="inline-flex h-7 items-center gap-1.5 rounded-md bg-white/5 px-2 text-neutral-400 ring-1 ring-inset ring-white/10">
          <span className="size-2 rounded-full bg-neutral-600" aria-hidden="true" />
          Not recording
        </span>
      )}

      {egress && onStop ? (
        <button
          type="button"
          data-testid="recording-stop"
          disabled={busy || state === "ending"}
          onClick={onStop}
          className="h-7 rounded-md bg-white/10 px-2.5 text-white ring-1 ring-inset ring-white/15 hover:bg-white/15 disabled:opacity-50"
        >
          Stop
        </button>
      ) : null}
      {!egress && onStart ? (
        <button
          type="button"
          data-testid="recording-start"
          disabled={busy || unavailable}
          title={unavailable ? "No Egress service is deployed (see README › Deploy)" : `Record channel ${channel}`}
          onClick={onStart}
          className="h-7 rounded-md bg-white/10 px-2.5 text-white ring-1 ring-inset ring-white/15 hover:bg-white/15 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {busy ? "Starting…" : "Record"}
        </button>
      ) : null}
    </div>
  );
}

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const update = () => setNow(Date.now());
    const first = setTimeout(update, 0);
    const t = setInterval(update, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, []);
  if (now === null) return null;
  const s = Math.max(0, Math.floor((now - since) / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return <span className="font-mono tracking-normal tabular-nums">{hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`}</span>;
}
