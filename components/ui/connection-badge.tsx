/** The connection state as a small pill; `data-state` is what tests and scripts read. */
import type { ConnState } from "@/hooks/use-room-connection";

const LOOK: Record<ConnState, { label: string; dot: string; text: string }> = {
  connecting: { label: "Connecting", dot: "bg-amber-400 animate-pulse", text: "text-amber-200" },
  connected: { label: "Live", dot: "bg-emerald-400", text: "text-emerald-200" },
  reconnecting: { label: "Reconnecting", dot: "bg-amber-400 animate-pulse", text: "text-amber-200" },
  disconnected: { label: "Disconnected", dot: "bg-neutral-500", text: "text-neutral-300" },
};

export function ConnectionBadge({ state, className = "" }: { state: ConnState; className?: string }) {
  const look = LOOK[state];
  return (
    <span
      data-testid="connection-state"
      data-state={state}
      role="status"
      className={`inline-flex h-7 items-center gap-1.5 rounded-full bg-black/40 px-2.5 text-xs font-medium ring-1 ring-white/10 backdrop-blur ${look.text} ${className}`}
    >
      <span className={`size-2 rounded-full ${look.dot}`} aria-hidden="true" />
      {look.label}
    </span>
  );
}
