"use client";
import { MAX_CHANNEL, MIN_CHANNEL } from "@/lib/schemas";

const CHANNELS = Array.from({ length: MAX_CHANNEL - MIN_CHANNEL + 1 }, (_, i) => MIN_CHANNEL + i);

export function ChannelSelect({
  value,
  onChange,
  className = "",
}: {
  value: number | null;
  onChange: (channel: number) => void;
  className?: string;
}) {
  return (
    <label className={`relative inline-flex items-center ${className}`}>
      <span className="sr-only">Channel</span>
      <select
        data-testid="viewer-channel"
        value={value ?? ""}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (Number.isInteger(n) && n >= MIN_CHANNEL && n <= MAX_CHANNEL) onChange(n);
        }}
        className="h-11 min-w-36 cursor-pointer appearance-none rounded-xl bg-neutral-900/80 pr-9 pl-4 text-sm font-semibold text-white ring-1 ring-white/15 backdrop-blur ring-inset hover:bg-neutral-800 focus:ring-2 focus:ring-sky-400 focus:outline-none"
      >
        {value === null ? (
          <option value="" disabled>
            Choose a channel
          </option>
        ) : null}
        {CHANNELS.map((c) => (
          <option key={c} value={c}>
            Channel {c}
          </option>
        ))}
      </select>
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        className="pointer-events-none absolute right-3 size-4 text-neutral-400"
        fill="currentColor"
      >
        <path d="M5.2 7.2a.75.75 0 0 1 1.06 0L10 10.94l3.74-3.74a.75.75 0 1 1 1.06 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0L5.2 8.26a.75.75 0 0 1 0-1.06z" />
      </svg>
    </label>
  );
}
