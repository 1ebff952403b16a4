"use client";

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useEgresses } from "@/hooks/use-egresses";
import { useFriendsStream, type StreamStatus } from "@/hooks/use-friends-stream";
import { commandForKey, isTypingTarget, type MixerCommand } from "@/lib/friends/shortcuts";
import type { FriendsChannel, FriendsPreview } from "@/lib/friends/model";
import { runCommand } from "./actions";
import { AdminPage } from "./admin-page";
import { ShortcutLegend } from "./mixer";
import { ChannelCard } from "./channel-card";
import { RecordingsList } from "./recordings-list";

function describe(ch: FriendsChannel, cmd: MixerCommand): string {
  switch (cmd.kind) {
    case "take":
      return `CH ${ch.channel}: took ${cmd.name}`;
    case "wide":
      return `CH ${ch.channel}: wide shot`;
    case "pin":
      return `CH ${ch.channel}: pinned ${cmd.name}`;
    case "unpin":
      return `CH ${ch.channel}: back to auto`;
  }
}

/**
 * The vision mixer's keys (lib/friends/shortcuts.ts) on the selected channel. Ignored
 * while typing in a field, with a modifier held (the browser's own shortcuts) and on
 * auto-repeat (one press, one cut).
 */
function useMixerKeys(channel: FriendsChannel | undefined, preview: FriendsPreview | undefined) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const current = useRef({ channel, preview });
  // Before paint: a key pressed the moment a card shows a new program acts on that
  // program, never on the one before it (an effect after paint left a gap where P
  // pinned nothing).
  useLayoutEffect(() => {
    current.current = { channel, preview };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTypingTarget(e.target)) return;
      const { channel: ch, preview: pv } = current.current;
      if (!ch) return;
      const cmd = commandForKey(e.key, ch, pv);
      if (!cmd) return;
      e.preventDefault();
      const text = describe(ch, cmd);
      runCommand(ch.channel, cmd).then(
        () => setMessage({ text, error: false }),
        (err: unknown) => setMessage({ text: `${text} failed: ${err instanceof Error ? err.message : String(err)}`, error: true }),
      );
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return message;
}

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
  // The channel the keys act on: the one last clicked or focused, else the first.
  const [chosen, setChosen] = useState<string | null>(null);
  const selected = channels.find((c) => c.room === chosen) ?? channels[0];
  const shortcutMessage = useMixerKeys(selected, selected ? state.previews[selected.room] : undefined);

  return (
    <AdminPage
      section="Friends"
      signOut={signOut}
      facts={
        <>
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
        </>
      }
      links={
        <>
          <span className="hidden text-[11px] text-neutral-400 tabular-nums md:inline" title="size of the last update and React's time to render it">
            update {stats.lastBytes} B · render {stats.lastRenderMs.toFixed(1)} ms
          </span>
          {/* A plain link: /debug is a route handler that answers browsers with its HTML view. */}
          <a href="/debug" className="text-xs font-semibold text-neutral-300 hover:text-white">
            Debug
          </a>
        </>
      }
    >
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
        <>
          <ShortcutLegend message={shortcutMessage} />
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
                preview={state.previews[ch.room]}
                selected={ch.room === selected?.room}
                onSelect={setChosen}
              />
            ))}
          </main>
        </>
      )}
      <RecordingsList />
    </AdminPage>
  );
}
