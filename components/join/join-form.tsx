"use client";
/**
 * Name + channel, validated inline with the same zod schemas the API uses. Nothing is
 * sent until both are valid.
 */
import { useEffect, useId, useState, type ChangeEvent, type FormEvent, type InputHTMLAttributes } from "react";
import { MAX_CHANNEL, MAX_NAME_LENGTH, MIN_CHANNEL, channelSchema, nameSchema } from "@/lib/schemas";
import type { Facing } from "@/lib/client/prefs";
import { buttonClass } from "@/components/ui/button";
import { MicIcon, MicOffIcon } from "@/components/ui/icons";
import { PhoneJoin } from "@/components/join/phone-join";
import { JOIN_CODE_INPUT, readJoinCode, saveJoinCode } from "@/lib/client/join-code";

export interface JoinValues {
  name: string;
  channel: number;
  muted: boolean;
  facing: Facing;
}

const FACINGS: { value: Facing; label: string; testId: string }[] = [
  { value: "user", label: "Front camera", testId: "camera-front" },
  // A phone lying on the table, or propped up facing the room, wants this one.
  { value: "environment", label: "Back camera", testId: "camera-back" },
];

function sentence(msg: string): string {
  return msg.charAt(0).toUpperCase() + msg.slice(1) + ".";
}

function validate(name: string, channel: string): { name?: string; channel?: string; values?: { name: string; channel: number } } {
  const n = nameSchema.safeParse(name);
  const c = channelSchema.safeParse(channel.trim() === "" ? Number.NaN : Number(channel));
  const errors: { name?: string; channel?: string } = {};
  if (!n.success) errors.name = sentence(n.error.issues[0]?.message ?? "name is invalid");
  if (!c.success) {
    errors.channel = sentence(
      channel.trim() === "" ? `pick a channel from ${MIN_CHANNEL} to ${MAX_CHANNEL}` : (c.error.issues[0]?.message ?? "channel is invalid"),
    );
  }
  if (n.success && c.success) return { values: { name: n.data, channel: c.data } };
  return errors;
}

function channelOf(raw: string): number | null {
  const c = channelSchema.safeParse(raw.trim() === "" ? Number.NaN : Number(raw));
  return c.success ? c.data : null;
}

export function JoinForm({
  defaults,
  onJoin,
  phoneUrl,
  codeRequired = false,
}: {
  defaults: { name: string; channel: number | null; muted: boolean; facing: Facing };
  onJoin: (v: JoinValues) => void;
  /** Where phones open the app; null hides "Join from a phone". */
  phoneUrl: string | null;
  /** The deployment has a JOIN_CODE: ask for it (prefilled from the link or the last visit). */
  codeRequired?: boolean;
}) {
  // Rendered only after hydration (JoinApp), so reading the browser's code here is safe.
  const [code, setCode] = useState(() => readJoinCode());
  const [name, setName] = useState(defaults.name);
  const [channel, setChannel] = useState(defaults.channel === null ? "" : String(defaults.channel));
  const [muted, setMuted] = useState(defaults.muted);
  const [facing, setFacing] = useState<Facing>(defaults.facing);
  const [touched, setTouched] = useState({ name: false, channel: false, code: false, submit: false });
  const ids = { name: useId(), channel: useId(), code: useId(), error: useId() };

  // Fetch the call screen's code (LiveKit) while the person types.
  useEffect(() => {
    const t = setTimeout(() => void import("@/components/join/session").catch(() => undefined), 800);
    return () => clearTimeout(t);
  }, []);

  const result = validate(name, channel);
  const nameError = (touched.name || touched.submit) && result.name ? result.name : null;
  const channelError = (touched.channel || touched.submit) && result.channel ? result.channel : null;
  const codeError =
    codeRequired && (touched.submit || touched.code) && !/^[A-Za-z0-9_-]{1,64}$/.test(code.trim())
      ? "Enter the event's join code (letters, digits, - or _)."
      : null;
  const messages = [nameError, channelError, codeError].filter((m): m is string => m !== null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched((t) => ({ ...t, submit: true }));
    if (!result.values) return;
    if (codeRequired) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(code.trim())) return;
      saveJoinCode(code);
    }
    onJoin({ ...result.values, muted, facing });
  };

  // One field's id, name, test id, value and change handler; typing in it marks it touched.
  const bind = (f: "name" | "channel" | "code", value: string, set: (v: string) => void) => ({
    id: ids[f],
    name: f,
    "data-testid": `join-${f}`,
    value,
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      set(e.target.value);
      setTouched((t) => ({ ...t, [f]: true }));
    },
  });

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-5" aria-describedby={messages.length ? ids.error : undefined}>
      <Field
        label="Your name"
        invalid={nameError !== null}
        {...bind("name", name, setName)}
        autoComplete="nickname"
        enterKeyHint="next"
        maxLength={MAX_NAME_LENGTH + 10}
        placeholder="How others will see you"
      />
      <Field
        label="Channel"
        hint="Everyone on the same channel shares one program."
        invalid={channelError !== null}
        {...bind("channel", channel, setChannel)}
        className="tabular-nums"
        type="number"
        inputMode="numeric"
        enterKeyHint="go"
        min={MIN_CHANNEL}
        max={MAX_CHANNEL}
        step={1}
        placeholder={`${MIN_CHANNEL}–${MAX_CHANNEL}`}
      />
      {codeRequired ? (
        <Field
          label="Join code"
          hint="This event is private: joining needs its code."
          invalid={codeError !== null}
          {...bind("code", code, setCode)}
          {...JOIN_CODE_INPUT}
          placeholder="On the QR code's link, or ask the organisers"
        />
      ) : null}

      {messages.length > 0 ? (
        <div
          id={ids.error}
          data-testid="join-error"
          role="alert"
          className="rounded-xl bg-rose-500/10 px-4 py-3 text-sm text-rose-200 ring-1 ring-rose-500/30"
        >
          {messages.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      ) : null}

      <button
        type="button"
        role="switch"
        aria-checked={muted}
        data-testid="join-muted"
        onClick={() => setMuted((m) => !m)}
        className="flex min-h-12 items-center justify-between gap-3 rounded-xl bg-white/5 px-4 text-left text-sm ring-1 ring-white/10 hover:bg-white/10"
      >
        <span className="flex items-center gap-3">
          {muted ? <MicOffIcon className="size-5 text-rose-400" /> : <MicIcon className="size-5 text-emerald-400" />}
          <span className="text-neutral-200">{muted ? "Join with microphone muted" : "Join with microphone on"}</span>
        </span>
        <span
          aria-hidden="true"
          className={`relative h-6 w-10 shrink-0 rounded-full transition-colors ${muted ? "bg-rose-500" : "bg-neutral-600"}`}
        >
          <span
            className={`absolute top-0.5 size-5 rounded-full bg-white shadow transition-transform ${muted ? "translate-x-[1.125rem]" : "translate-x-0.5"}`}
          />
        </span>
      </button>

      <div role="radiogroup" aria-label="Camera" data-testid="camera-facing" className="grid grid-cols-2 gap-1 rounded-xl bg-white/5 p-1 ring-1 ring-white/10 ring-inset">
        {FACINGS.map((f) => (
          <button
            key={f.value}
            type="button"
            role="radio"
            aria-checked={facing === f.value}
            data-testid={f.testId}
            onClick={() => setFacing(f.value)}
            className={`min-h-11 rounded-lg px-3 text-sm font-medium transition-colors ${
              facing === f.value ? "bg-white text-neutral-950" : "text-neutral-300 hover:bg-white/10"
            }`}
          >
            {f.label}
          </button>
        ))}
      </div>

      <button type="submit" data-testid="join-submit" className={buttonClass("primary", "h-12 text-base")}>
        Join channel{result.values ? ` ${result.values.channel}` : ""}
      </button>

      {phoneUrl ? <PhoneJoin baseUrl={phoneUrl} channel={channelOf(channel)} code={codeRequired ? code.trim() : ""} /> : null}
    </form>
  );
}

/** One labelled text field: the label, the input (red ring while invalid) and an optional hint below. */
function Field({
  id,
  label,
  hint,
  invalid,
  className = "",
  ...input
}: { id: string; label: string; hint?: string; invalid: boolean } & InputHTMLAttributes<HTMLInputElement> &
  Record<`data-${string}`, string>) {
  return (
    <div>
      <label htmlFor={id} className="mb-2 block text-sm font-medium text-neutral-300">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={invalid ? true : undefined}
        className={`block h-12 w-full rounded-xl bg-neutral-950 px-4 text-base text-white ring-1 ring-inset placeholder:text-neutral-600 focus:outline-none focus:ring-2 ${className} ${
          invalid ? "ring-rose-500 focus:ring-rose-400" : "ring-white/10 focus:ring-sky-400"
        }`}
        {...input}
      />
      {hint ? <p className="mt-2 text-xs text-neutral-400">{hint}</p> : null}
    </div>
  );
}
