"use client";

import { useMemo } from "react";
import { useEgresses } from "@/hooks/use-egresses";
import { useFriendsStream, type StreamStatus } from "@/hooks/use-friends-stream";
import { ChannelCard } from "./channel-card";
import { RecordingsList } from "./recordings-list";
import { SignOutButton } from "./sign-out-button";

const STATUS_LABEL: Record<StreamStatus, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  "signed-out": "signed out",
};

export function FriendsDashboard({ signOut }: { signOut: boolean }) {
  const { state, status, stats } = useFriendsStream();
  // Recording state comes from the egress API (LiveKit Egress), polled by its own hook.
  const eg = useEgresses();
  const channels = useMemo(() => Object.values(state.channels).sort((a, b) => a.channel - b.channel), [state.channels]);
  const people = channels.reduce((n, c) => n + c.participants.length, 0);
  const speaking = Object.values(state.levels).reduce((n, lv) => n + Object.values(lv).filter((v) => v[1] === 1).length, 0);

  return (
    <div className="min-h-dvh bg-neutral-950 text-neutral-100">
      <header className="sticky top-0 z-10 flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-white/10 bg-neutral-950/95 px-4 py-2 backdrop-blur">
        <h1 className="text-sm font-bold tracking-wide">
          Conference Camera <span className="text-neutral-500">· Friends</span>
        </h1>
        <span className="text-xs text-neutral-400 tabular-nums" data-testid="friends-totals">
          {channels.length} channels · {people} participants · {speaking} speaking
        </span>
        <span
          data-testid="friends-stream-status"
          data-status={status}
          className={`flex items-center gap-1.5 text-xs ${status === "live" ? "text-emerald-300" : "text-amber-300"}`}
        >
          <span className={`size-1.5 rounded-full ${status === "live" ? "bg-emerald-400" : "animate-pulse bg-amber-400"}`} />
          {STATUS_LABEL[status]}
          {!state.livekit && <span className="text-rose-300">· LiveKit unreachable</span>}
        </span>
        <span className="ml-auto flex items-center gap-3">
          <span className="hidden text-[11px] text-neutral-500 tabular-nums md:inline" title="size of the last update and React's time to render it">
            update {stats.lastBytes} B · render {stats.lastRenderMs.toFixed(1)} ms
          </span>
          {/* A plain link: /debug is a route handler that answers browsers with its HTML view. */}
          <a href="/debug" className="text-xs font-semibold text-neutral-300 hover:text-white">
            Debug
          </a>
          {signOut && <SignOutButton />}
        </span>
      </header>
      {status === "signed-out" ? (
        <p className="p-6 text-sm text-neutral-300">
          Your session ended.{" "}
          <a className="underline" href="/login?next=/friends">
            Sign in again
          </a>
        </p>
      ) : channels.length === 0 ? (
        <p data-testid="friends-empty" className="p-6 text-sm text-neutral-400">
          {status === "live" ? "No channel has anyone in it." : "Waiting for the live feed…"}
        </p>
      ) : (
        <main className="grid grid-cols-1 gap-2 p-2 lg:grid-cols-2 2xl:grid-cols-3" data-testid="friends-grid">
          {channels.map((ch) => (
            <ChannelCard
              key={ch.room}
              ch={ch}
              levels={state.levels[ch.room]}
              samples={state.samples[ch.room]}
              decisions={state.decisions[ch.room]}
              activity={state.activity[ch.room]}
              now={state.sampledAt}
              egress={eg.egresses.find((e) => e.channel === ch.channel) ?? null}
              egressBusy={eg.busy.has(ch.channel)}
              egressUnavailable={eg.unavailable}
              onRecord={eg.start}
              onStopRecording={eg.stop}
            />
          ))}
        </main>
      )}
      <RecordingsList />
    </div>
  );
}
