"use client";
/** The files Egress recorded (GET /api/admin/recordings), polled while /friends is open. */
import { useEffect, useState } from "react";
import type { Recording } from "@/lib/egress/recordings";

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function RecordingsList({ pollMs = 5000 }: { pollMs?: number }) {
  const [recordings, setRecordings] = useState<Recording[]>([]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const res = await fetch("/api/admin/recordings", { cache: "no-store", credentials: "same-origin" });
        if (res.ok) {
          const body = (await res.json()) as { recordings?: Recording[] };
          if (!stopped && Array.isArray(body.recordings)) setRecordings(body.recordings);
        }
      } catch {
        // keep the last list
      }
      if (!stopped) timer = setTimeout(load, pollMs);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pollMs]);
  if (recordings.length === 0) return null;
  return (
    <section className="border-t border-white/10 px-4 py-3" data-testid="recordings">
      <h2 className="mb-1 text-xs font-semibold tracking-wide text-neutral-400 uppercase">Recordings (recordings/)</h2>
      <ul className="space-y-0.5 text-xs tabular-nums">
        {recordings.map((r) => (
          <li key={r.name} data-testid="recording" className="flex gap-3">
            <span className="text-neutral-200">{r.name}</span>
            <span data-testid="recording-duration" className="text-neutral-400">
              {formatDuration(r.durationMs)}
            </span>
            <span className="text-neutral-400">{(r.bytes / 1e6).toFixed(1)} MB</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
