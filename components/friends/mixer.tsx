"use client";

import { memo, useState, type FormEvent } from "react";
import type { FriendsChannel, FriendsPreview } from "@/lib/friends/model";
import { SHORTCUTS } from "@/lib/friends/shortcuts";
import type { DirectorRole } from "@/lib/room-state";
import { setDirectorRole, setShotLength, takeShot } from "./actions";

const btn =
  "h-7 rounded-md px-2 text-[11px] font-semibold uppercase tracking-wide transition-colors disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-sky-400";

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A Take button: cut once to `identity`, or to the wide shot when it is null. */
export function TakeButton({ channel, identity, label, testId, disabled = false }: { channel: number; identity: string | null; label: string; testId: string; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const take = () => {
    setBusy(true);
    setError(null);
    takeShot(channel, identity)
      .catch((err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" data-testid={testId} aria-label={label} title={label} className={`${btn} bg-white/10 text-neutral-100 hover:bg-rose-600`} disabled={busy || disabled} onClick={take}>
        Take
      </button>
      {error && (
        <span role="alert" data-testid="friends-action-error" className="text-[11px] text-rose-300">
          {error}
        </span>
      )}
    </>
  );
}

/**
 * The director's preview lane: the candidate it is gathering evidence for and how far
 * it got (the cut comes at 1), with a Take to cut to them now.
 */
export const PreviewLane = memo(function PreviewLane({ ch, preview }: { ch: FriendsChannel; preview: FriendsPreview | undefined }) {
  const identity = preview?.identity ?? null;
  const name = identity ? (ch.participants.find((p) => p.identity === identity)?.name ?? identity) : null;
  const progress = identity ? (preview?.progress ?? 0) : 0;
  const pct = Math.round(progress * 100);
  return (
    <div
      data-testid="friends-preview"
      data-identity={identity ?? ""}
      data-progress={progress}
      className="flex items-center gap-2 rounded-md bg-white/[0.04] px-2 py-1 text-xs"
    >
      <span className="shrink-0 text-[10px] font-bold tracking-wider text-emerald-300 uppercase">Preview</span>
      <span data-testid="friends-preview-name" className={`min-w-0 truncate ${name ? "font-semibold text-neutral-100" : "text-neutral-400"}`}>
        {name ?? (preview ? "no candidate" : "no preview from the director")}
      </span>
      <span
        role="meter"
        aria-label={name ? `Evidence for ${name}` : "Evidence"}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct}%`}
        data-testid="friends-preview-meter"
        className="ml-auto h-2 w-20 shrink-0 overflow-hidden rounded-full bg-white/10"
      >
        <span className="block h-full w-full origin-left rounded-full bg-emerald-400 transition-transform" style={{ transform: `scaleX(${progress})` }} />
      </span>
      <span className="w-8 shrink-0 text-right text-[11px] text-neutral-400 tabular-nums" aria-hidden="true">
        {pct}%
      </span>
      <TakeButton channel={ch.channel} identity={identity} label={name ? `Take ${name} (preview)` : "Take the preview"} testId="friends-preview-take" disabled={!identity} />
    </div>
  );
});

const ROLE_LABEL: Record<DirectorRole, string> = { auto: "Auto", favor: "Favor", never: "Never" };

/** A participant's director role: auto, favor (biased towards) or never (kept off program). */
export function RoleSelect({ channel, identity, name, role }: { channel: number; identity: string; name: string; role: DirectorRole }) {
  // What the admin just chose, shown until the feed brings the server's value back.
  const [pending, setPending] = useState<DirectorRole | null>(null);
  const [seenRole, setSeenRole] = useState(role);
  const [error, setError] = useState<string | null>(null);
  if (seenRole !== role) {
    setSeenRole(role);
    setPending(null);
  }
  const choose = (next: DirectorRole) => {
    setPending(next);
    setError(null);
    setDirectorRole(channel, identity, next).catch((err: unknown) => {
      setPending(null);
      setError(errorText(err));
    });
  };
  const value = pending ?? role;
  return (
    <>
      <select
        data-testid="friends-role"
        data-role={role}
        aria-label={`Director role of ${name}`}
        title="Director role: favor biases the director towards them, never keeps them off program"
        value={value}
        onChange={(e) => choose(e.target.value as DirectorRole)}
        className={`h-7 rounded-md border-0 px-1 text-[11px] font-semibold focus-visible:outline-2 focus-visible:outline-sky-400 ${
          value === "favor" ? "bg-emerald-300 text-neutral-950" : value === "never" ? "bg-neutral-300 text-neutral-950" : "bg-neutral-800 text-neutral-100"
        }`}
      >
        {(Object.keys(ROLE_LABEL) as DirectorRole[]).map((r) => (
          <option key={r} value={r} className="bg-neutral-900 text-neutral-100">
            {ROLE_LABEL[r]}
          </option>
        ))}
      </select>
      {error && (
        <span role="alert" data-testid="friends-action-error" className="text-[11px] text-rose-300">
          {error}
        </span>
      )}
    </>
  );
}

const seconds = (ms: number) => `${(ms / 1000).toLocaleString("en", { maximumFractionDigits: 2 })} s`;

/**
 * The channel's minimum shot length, in seconds: it overrides the director's
 * SWITCH_DWELL_MS live; an empty field goes back to that default.
 */
export const ShotLengthControl = memo(function ShotLengthControl({ ch }: { ch: FriendsChannel }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = `shot-length-${ch.channel}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = text.trim();
    const s = trimmed === "" ? null : Number(trimmed);
    if (s !== null && !Number.isFinite(s)) {
      setError("enter seconds, or leave empty for the default");
      return;
    }
    setBusy(true);
    setError(null);
    setShotLength(ch.channel, s === null ? null : Math.round(s * 1000))
      .then(() => setText(""))
      .catch((err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(false));
  };
  const current = ch.shotLengthMs;
  const fallback = ch.defaultShotLengthMs === null ? "default" : `default ${seconds(ch.defaultShotLengthMs)}`;
  return (
    <form data-testid="friends-shot-length" noValidate onSubmit={submit} className="flex flex-wrap items-center gap-1.5 text-[11px] text-neutral-400">
      <label htmlFor={inputId} className="whitespace-nowrap">
        Min shot (s)
      </label>
      <input
        id={inputId}
        data-testid="friends-shot-length-input"
        type="number"
        inputMode="decimal"
        min={0}
        max={60}
        step={0.1}
        value={text}
        placeholder={current === null ? "default" : String(current / 1000)}
        onChange={(e) => setText(e.target.value)}
        className="h-7 w-20 rounded-md bg-neutral-800 px-1.5 text-xs text-neutral-100 placeholder:text-neutral-400 focus-visible:outline-2 focus-visible:outline-sky-400"
      />
      <button type="submit" data-testid="friends-shot-length-set" className={`${btn} bg-white/10 text-neutral-100 hover:bg-sky-500 hover:text-neutral-950`} disabled={busy}>
        Set
      </button>
      <span data-testid="friends-shot-length-current" data-ms={current ?? ""} className="text-neutral-300 tabular-nums">
        {current === null ? fallback : `${seconds(current)} (set)`}
      </span>
      {error && (
        <span role="alert" data-testid="friends-action-error" className="text-rose-300">
          {error}
        </span>
      )}
    </form>
  );
});

/** The keyboard shortcuts, and what the last one did. */
export function ShortcutLegend({ message }: { message: { text: string; error: boolean } | null }) {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 pt-2 text-[11px] text-neutral-400" data-testid="friends-shortcuts">
      <span className="font-semibold text-neutral-300">Keys for the selected channel:</span>
      {SHORTCUTS.map((s) => (
        <span key={s.keys}>
          <kbd className="rounded bg-white/10 px-1 font-mono text-neutral-100">{s.keys}</kbd> {s.does}
        </span>
      ))}
      <span role="status" data-testid="friends-shortcut-status" className={message?.error ? "text-rose-300" : "text-emerald-300"}>
        {message?.text ?? ""}
      </span>
    </div>
  );
}
