"use client";

import { memo, useState } from "react";
import { RecordingIndicator } from "@/components/egress/recording-indicator";
import type { ActiveEgress } from "@/lib/egress/schema";
import type { Activity, LevelsAttr } from "@/lib/room-state";
import type { FriendsChannel, FriendsDecision, FriendsPreview, FriendsViewer } from "@/lib/friends/model";
import { runAction } from "./actions";
import { clockTime } from "./colors";
import { PreviewLane, ShotLengthControl } from "./mixer";
import { ParticipantRow } from "./participant-row";
import { Timeline } from "./timeline";

const ACTIVITY_LABEL: Record<Activity["kind"], string> = {
  room_started: "channel opened",
  participant_joined: "joined",
  participant_left: "left",
  track_published: "published",
  track_unpublished: "unpublished",
  pin: "pinned",
  unpin: "unpinned",
  mute: "mic muted by admin",
  remove: "removed by admin",
  take: "taken to program by admin",
  wide: "wide shot by admin",
  role: "director role:",
  shot_length: "minimum shot length:",
};

function ActivityLog({ items }: { items: Activity[] }) {
  const recent = items.slice(-30).reverse();
  return (
    <details className="group mt-1 text-[11px] text-neutral-400">
      <summary className="flex cursor-pointer list-none gap-1 py-0.5 whitespace-nowrap text-neutral-400 select-none hover:text-neutral-300">
        <span className="group-open:hidden">▸</span>
        <span className="hidden group-open:inline">▾</span> Activity ({items.length})
        {recent[0] && (
          <span className="ml-1 min-w-0 truncate text-neutral-400" data-testid="friends-activity-latest">
            {clockTime(recent[0].at)} {recent[0].name ?? recent[0].identity ?? ""} {ACTIVITY_LABEL[recent[0].kind]}
            {recent[0].detail && recent[0].detail !== "admin" ? ` ${recent[0].detail}` : ""}
          </span>
        )}
      </summary>
      <ol data-testid="friends-activity" className="max-h-32 space-y-px overflow-y-auto pr-1" tabIndex={0} aria-label="Activity">
        {recent.map((a, i) => (
          <li key={`${a.at}-${a.kind}-${a.identity ?? ""}-${i}`} data-kind={a.kind} className="flex gap-2">
            <span className="text-neutral-400 tabular-nums">{clockTime(a.at)}</span>
            <span className="min-w-0 truncate">
              <span className="text-neutral-200">{a.name ?? a.identity ?? "channel"}</span> {ACTIVITY_LABEL[a.kind]}
              {a.detail && a.detail !== "admin" ? ` ${a.detail}` : ""}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}

/** The channel's hidden viewers, each removable (with a confirm, like participants). */
function ViewerList({ channel, viewers }: { channel: number; viewers: FriendsViewer[] }) {
  return (
    <details className="group text-[11px] text-neutral-400" data-testid="friends-viewers">
      <summary className="flex cursor-pointer list-none gap-1 py-0.5 text-neutral-400 select-none hover:text-neutral-300">
        <span className="group-open:hidden">▸</span>
        <span className="hidden group-open:inline">▾</span> Viewers ({viewers.length})
      </summary>
      <ul className="flex flex-col gap-0.5">
        {viewers.map((v) => (
          <ViewerRow key={v.identity} channel={channel} v={v} />
        ))}
      </ul>
    </details>
  );
}

function ViewerRow({ channel, v }: { channel: number; v: FriendsViewer }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const btn = "rounded px-1.5 py-0.5 text-[11px] font-semibold disabled:opacity-40";
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await runAction("remove", channel, v.identity);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <li data-testid="friends-viewer" data-identity={v.identity} className="flex items-center gap-2">
      <span className="min-w-0 truncate text-neutral-200">{v.name}</span>
      <span className="text-neutral-400 tabular-nums">since {clockTime(v.joinedAt)}</span>
      {error && <span className="truncate text-rose-300">{error}</span>}
      <span className="ml-auto flex gap-1">
        {confirming ? (
          <>
            <button type="button" data-testid="friends-viewer-remove-confirm" className={`${btn} bg-rose-600 text-white hover:bg-rose-500`} disabled={busy} onClick={() => void remove()}>
              Remove viewer
            </button>
            <button type="button" className={`${btn} bg-white/10 text-neutral-200 hover:bg-white/15`} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" data-testid="friends-viewer-remove" className={`${btn} bg-white/10 text-neutral-100 hover:bg-rose-600`} onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
      </span>
    </li>
  );
}

export const ChannelCard = memo(function ChannelCard({
  ch,
  levels,
  samples,
  decisions,
  activity,
  now,
  egress,
  egressBusy,
  egressUnavailable,
  onRecord,
  onStopRecording,
  preview,
  selected,
  onSelect,
}: {
  preview: FriendsPreview | undefined;
  /** the channel the keyboard shortcuts act on */
  selected: boolean;
  onSelect: (room: string) => void;
  egress: ActiveEgress | null;
  egressBusy: boolean;
  egressUnavailable: boolean;
  onRecord: (channel: number) => Promise<void>;
  onStopRecording: (channel: number) => Promise<void>;
  ch: FriendsChannel;
  levels: LevelsAttr | undefined;
  samples: Record<string, number[]> | undefined;
  decisions: FriendsDecision[] | undefined;
  activity: Activity[] | undefined;
  now: number;
}) {
  const program = ch.program;
  const onAir = program?.identity ?? null;
  const pinned = program?.pinned ?? null;
  const wide = program?.shot === "wide";
  // Any click or focus inside the card makes it the one the shortcuts act on.
  const select = () => {
    if (!selected) onSelect(ch.room);
  };
  return (
    <section
      data-testid="friends-channel"
      data-channel={ch.channel}
      data-room={ch.room}
      data-program={onAir ?? ""}
      data-pinned={pinned ?? ""}
      data-shot={program?.shot ?? ""}
      data-selected={selected ? "true" : "false"}
      aria-label={`Channel ${ch.channel}${selected ? ", selected for the keyboard shortcuts" : ""}`}
      onClickCapture={select}
      onFocusCapture={select}
      className={`flex min-w-0 flex-col gap-1.5 rounded-lg bg-neutral-900 p-2.5 ${selected ? "ring-2 ring-sky-400" : "ring-1 ring-white/10"}`}
    >
      <header className="flex items-center gap-2">
        <h2 className="text-sm font-bold tracking-wide text-white tabular-nums">CH {ch.channel}</h2>
        <span className="text-[11px] text-neutral-400 tabular-nums">{ch.participants.length} in</span>
        <span data-testid="friends-viewer-count" className="text-[11px] text-neutral-400 tabular-nums" title="Hidden viewers: projectors, OBS, previews">
          {ch.viewers.length} {ch.viewers.length === 1 ? "viewer" : "viewers"}
        </span>
        <RecordingIndicator
          channel={ch.channel}
          egress={egress}
          busy={egressBusy}
          unavailable={egressUnavailable}
          onStart={() => void onRecord(ch.channel)}
          onStop={() => void onStopRecording(ch.channel)}
        />
        <span className="ml-auto flex min-w-0 items-center gap-1.5 text-xs">
          {wide && (
            <span data-testid="friends-wide" className="shrink-0 rounded bg-sky-300 px-1 text-[10px] font-bold tracking-wider text-neutral-950" title="The program is the wide shot: every camera in a grid">
              WIDE
            </span>
          )}
          {onAir ? (
            <>
              <span className="size-2 shrink-0 animate-pulse rounded-full bg-rose-500" aria-hidden="true" />
              <span data-testid="friends-program-name" className="truncate font-semibold text-rose-200">
                {program?.name ?? onAir}
              </span>
              {pinned && <span className="shrink-0 rounded bg-amber-400 px-1 text-[10px] font-bold text-neutral-950">PIN</span>}
              <span className="shrink-0 text-neutral-400">{program?.reason}</span>
            </>
          ) : (
            <span className="text-neutral-400">nobody on program</span>
          )}
          {!ch.director && (
            <span className="shrink-0 rounded bg-amber-900/60 px-1 text-[10px] font-semibold text-amber-200" title="No director in this channel">
              NO DIRECTOR
            </span>
          )}
        </span>
      </header>
      <PreviewLane ch={ch} preview={preview} />
      <Timeline participants={ch.participants} samples={samples} decisions={decisions} activity={activity} now={now} />
      <ul className="flex flex-col gap-0.5">
        {ch.participants.map((p, i) => {
          const lv = levels?.[p.identity];
          return (
            <ParticipantRow
              key={p.identity}
              channel={ch.channel}
              p={p}
              shortcut={i < 9 ? i + 1 : null}
              role={ch.roles[p.identity] ?? "auto"}
              level={lv ? lv[0] : null}
              speaking={lv ? lv[1] === 1 : false}
              onProgram={!wide && onAir === p.identity}
              pinned={pinned === p.identity}
            />
          );
        })}
      </ul>
      <ShotLengthControl ch={ch} />
      {ch.viewers.length > 0 && <ViewerList channel={ch.channel} viewers={ch.viewers} />}
      <ActivityLog items={activity ?? []} />
    </section>
  );
});
