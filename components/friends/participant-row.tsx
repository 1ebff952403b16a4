"use client";

import { memo, useState } from "react";
import { CameraIcon, MicIcon, MicOffIcon } from "@/components/ui/icons";
import type { FriendsParticipant } from "@/lib/friends/model";
import type { DirectorRole } from "@/lib/room-state";
import { runAction, type AdminAction } from "./actions";
import { clockTime, colorOf, meterFraction } from "./colors";
import { RoleSelect, TakeButton } from "./mixer";

const QUALITY_BARS: Record<FriendsParticipant["quality"], number> = { excellent: 3, good: 2, poor: 1, lost: 0, unknown: -1 };

function QualityBars({ quality }: { quality: FriendsParticipant["quality"] }) {
  const n = QUALITY_BARS[quality];
  const color = n >= 3 ? "bg-emerald-400" : n === 2 ? "bg-lime-400" : n === 1 ? "bg-amber-400" : "bg-rose-500";
  return (
    <span className="flex h-3.5 items-end gap-px" title={`connection: ${quality}`} data-testid="friends-quality" data-quality={quality}>
      {[1, 2, 3].map((i) => (
        <span key={i} className={`w-1 rounded-[1px] ${n >= i ? color : "bg-white/15"}`} style={{ height: `${i * 33}%` }} />
      ))}
    </span>
  );
}

const btn =
  "h-7 rounded-md px-2 text-[11px] font-semibold uppercase tracking-wide transition-colors disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-sky-400";

/**
 * One participant. The speaking dot and the meter change 4 times a second; the name,
 * the device states and the actions are memoised parts that only re-render when their
 * own props change, so 100 moving meters cost 100 small updates, not 100 rows.
 */
export const ParticipantRow = memo(function ParticipantRow({
  channel,
  p,
  level,
  speaking,
  onProgram,
  pinned,
  shortcut,
  role,
}: {
  channel: number;
  p: FriendsParticipant;
  /** the number key that takes them (1–9), null past the ninth */
  shortcut: number | null;
  role: DirectorRole;
  level: number | null;
  speaking: boolean;
  onProgram: boolean;
  pinned: boolean;
}) {
  const micLive = p.mic === "live";
  const fraction = micLive && level !== null ? meterFraction(level) : 0;
  return (
    <li
      data-testid="friends-participant"
      data-identity={p.identity}
      data-name={p.name}
      data-speaking={speaking ? "true" : "false"}
      data-mic={p.mic}
      data-camera={p.camera}
      data-program={onProgram ? "true" : "false"}
      data-pinned={pinned ? "true" : "false"}
      data-role={role}
      className={`grid grid-cols-[0.5rem_minmax(0,1fr)_4.5rem_auto_auto] items-center gap-x-2 rounded-md px-2 py-1 ${
        onProgram ? "bg-rose-950/50 ring-1 ring-rose-500/60 ring-inset" : "hover:bg-white/[0.03]"
      }`}
    >
      <span
        data-testid="friends-speaking"
        role="img"
        aria-label={speaking ? "speaking" : "not speaking"}
        className={`size-2 rounded-full transition-colors ${speaking ? "bg-emerald-400 shadow-[0_0_6px] shadow-emerald-400" : "bg-white/15"}`}
      />
      <RowName p={p} onProgram={onProgram} pinned={pinned} shortcut={shortcut} />
      <span className="h-2 overflow-hidden rounded-full bg-white/10" title={level === null ? "no level" : `${level} dBov`}>
        <span
          data-testid="friends-meter"
          className={`block h-full w-full origin-left rounded-full ${speaking ? "bg-emerald-400" : "bg-sky-500"}`}
          style={{ transform: `scaleX(${fraction})` }}
        />
      </span>
      <RowDevices p={p} />
      <RowActions channel={channel} identity={p.identity} name={p.name} pinned={pinned} micLive={micLive} role={role} />
    </li>
  );
});

const RowName = memo(function RowName({ p, onProgram, pinned, shortcut }: { p: FriendsParticipant; onProgram: boolean; pinned: boolean; shortcut: number | null }) {
  return (
    // The badges wrap under the name when the row is narrow, rather than cutting the
    // name of the one on air down to its first letters.
    <span className="flex min-w-0 flex-wrap items-center gap-x-1.5 gap-y-0.5">
      {shortcut !== null && (
        <kbd data-testid="friends-shortcut" className="w-3 shrink-0 font-mono text-[10px] text-neutral-400" title={`Press ${shortcut} to take ${p.name}`}>
          {shortcut}
        </kbd>
      )}
      <span className="size-2 shrink-0 rounded-sm" style={{ background: colorOf(p.identity) }} aria-hidden="true" />
      <span data-testid="friends-name" className="truncate text-sm font-medium text-neutral-100" title={p.name}>
        {p.name}
      </span>
      {onProgram && (
        <span data-testid="friends-onair" className="shrink-0 rounded bg-rose-600 px-1 text-[10px] font-bold tracking-wider text-white">
          ON AIR
        </span>
      )}
      {pinned && (
        <span data-testid="friends-pinned" className="shrink-0 rounded bg-amber-400 px-1 text-[10px] font-bold tracking-wider text-neutral-950">
          PINNED
        </span>
      )}
    </span>
  );
});

const RowDevices = memo(function RowDevices({ p }: { p: FriendsParticipant }) {
  const micLive = p.mic === "live";
  return (
    <span className="flex items-center gap-1.5 text-neutral-400">
      <span title={`microphone: ${p.mic}`} data-testid="friends-mic" data-state={p.mic} className={micLive ? "text-neutral-200" : "text-rose-400"}>
        {micLive ? <MicIcon className="size-3.5" /> : <MicOffIcon className="size-3.5" />}
      </span>
      <span
        title={`camera: ${p.camera}`}
        data-testid="friends-camera"
        data-state={p.camera}
        className={p.camera === "live" ? "text-neutral-200" : "text-rose-400 opacity-70"}
      >
        <CameraIcon className="size-3.5" />
      </span>
      <QualityBars quality={p.quality} />
      <span className="hidden w-14 text-right text-[11px] text-neutral-400 tabular-nums sm:inline" title={`joined ${new Date(p.joinedAt).toString()}`}>
        {clockTime(p.joinedAt)}
      </span>
    </span>
  );
});

const RowActions = memo(function RowActions({
  channel,
  identity,
  name,
  pinned,
  micLive,
  role,
}: {
  channel: number;
  identity: string;
  name: string;
  pinned: boolean;
  micLive: boolean;
  role: DirectorRole;
}) {
  const [busy, setBusy] = useState<AdminAction | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = (action: AdminAction) => {
    setBusy(action);
    setError(null);
    runAction(action, channel, identity)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => {
        setBusy(null);
        setConfirming(false);
      });
  };

  return (
    <span className="relative flex flex-wrap items-center justify-end gap-1">
      {confirming ? (
        <>
          <span className="text-[11px] text-rose-300">Remove?</span>
          <button type="button" data-testid="friends-remove-confirm" className={`${btn} bg-rose-600 text-white hover:bg-rose-500`} disabled={busy !== null} onClick={() => act("remove")}>
            Remove
          </button>
          <button type="button" data-testid="friends-remove-cancel" className={`${btn} bg-white/10 text-neutral-200 hover:bg-white/15`} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <RoleSelect channel={channel} identity={identity} name={name} role={role} />
          <TakeButton channel={channel} identity={identity} label={`Take ${name}`} testId="friends-take" />
          {pinned ? (
            <button type="button" data-testid="friends-unpin" className={`${btn} bg-amber-400 text-neutral-950 hover:bg-amber-300`} disabled={busy !== null} onClick={() => act("unpin")}>
              Unpin
            </button>
          ) : (
            <button type="button" data-testid="friends-pin" className={`${btn} bg-white/10 text-neutral-100 hover:bg-amber-400 hover:text-neutral-950`} disabled={busy !== null} onClick={() => act("pin")}>
              Pin
            </button>
          )}
          <button
            type="button"
            data-testid="friends-mute"
            className={`${btn} bg-white/10 text-neutral-100 hover:bg-sky-500 hover:text-neutral-950`}
            disabled={busy !== null || !micLive}
            onClick={() => act("mute")}
          >
            Mute
          </button>
          <button type="button" data-testid="friends-remove" className={`${btn} bg-white/10 text-neutral-100 hover:bg-rose-600`} disabled={busy !== null} onClick={() => setConfirming(true)}>
            Remove
          </button>
        </>
      )}
      {error && (
        <span role="alert" data-testid="friends-action-error" className="absolute top-full right-0 z-10 mt-0.5 rounded bg-rose-950 px-1.5 py-0.5 text-[11px] whitespace-nowrap text-rose-200 ring-1 ring-rose-500/50">
          {error}
        </span>
      )}
    </span>
  );
});
