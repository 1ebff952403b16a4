"use client";
/** Five bars lit by the live mic level (see useMicLevel: no React state per frame). */
import { useRef } from "react";
import type { LocalAudioTrack } from "livekit-client";
import { useMicLevel, type LevelSource } from "@/hooks/use-mic-level";

const BARS = [0, 1, 2, 3, 4] as const;

/** `fallback`: in a call, the local participant, whose server-measured level stands in where Web Audio can't run. */
export function MicMeter({
  track,
  muted,
  fallback = null,
}: {
  track: LocalAudioTrack | null;
  muted: boolean;
  fallback?: LevelSource | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useMicLevel(track, ref, fallback);
  return (
    <div
      ref={ref}
      data-testid="mic-meter"
      data-level="0"
      data-source="none"
      aria-hidden="true"
      title={muted ? "Microphone muted" : "Microphone level"}
      className={`flex h-6 items-end gap-[3px] transition-opacity ${muted ? "opacity-40 grayscale" : ""}`}
      style={{ ["--level" as string]: 0 }}
    >
      {BARS.map((i) => (
        <span
          key={i}
          aria-hidden="true"
          className={`w-1.5 rounded-full transition-opacity duration-75 ${i < 3 ? "bg-emerald-400" : i < 4 ? "bg-amber-400" : "bg-rose-400"}`}
          style={{
            height: `${40 + i * 15}%`,
            opacity: `clamp(0.18, calc(var(--level) * 5 - ${i}), 1)`,
          }}
        />
      ))}
    </div>
  );
}
