"use client";
/**
 * The participant page's client root: the join form, then the call. The call screen
 * (and LiveKit with it) is a separate chunk, so the form loads fast on a phone.
 */
import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useState } from "react";
import { JOIN_PREFS_KEY, parseJoinPrefs, readStored, saveJoinPrefs } from "@/lib/client/prefs";
import { useHydrated, useStored } from "@/hooks/use-stored";
import { JoinForm, type JoinValues } from "@/components/join/join-form";
import { AlertIcon, CameraIcon } from "@/components/ui/icons";
import { SUPPORTED_BROWSERS, hasWebRTC } from "@/lib/client/webrtc-support";

const loadSession = () => import("@/components/join/session");

const Session = dynamic(() => loadSession().then((m) => m.Session), {
  ssr: false,
  loading: () => (
    <div className="flex h-dvh items-center justify-center text-sm text-neutral-400">
      <span data-testid="connection-state" data-state="connecting">
        Starting camera…
      </span>
    </div>
  ),
});

interface Joined extends JoinValues {
  attempt: number;
}

export function JoinApp({
  videoWidth,
  videoHeight,
  urlChannel,
  phoneUrl,
  codeRequired = false,
}: {
  videoWidth: number;
  videoHeight: number;
  urlChannel: number | null;
  phoneUrl: string | null;
  /** the deployment has a JOIN_CODE (never the code itself) */
  codeRequired?: boolean;
}) {
  const hydrated = useHydrated();
  const stored = parseJoinPrefs(useStored(JOIN_PREFS_KEY));
  const [joined, setJoined] = useState<Joined | null>(null);

  // Fetch the call screen (and LiveKit) while the person is typing, not after they
  // press Join: it stays out of the first load, and Join doesn't wait for it.
  useEffect(() => {
    const warm = () => void loadSession().catch(() => undefined);
    if ("requestIdleCallback" in window) {
      const id = window.requestIdleCallback(warm, { timeout: 2000 });
      return () => window.cancelIdleCallback(id);
    }
    const t = setTimeout(warm, 500);
    return () => clearTimeout(t);
  }, []);

  if (joined) {
    return (
      <Session
        key={joined.attempt}
        name={joined.name}
        channel={joined.channel}
        startMuted={joined.muted}
        facing={joined.facing}
        videoWidth={videoWidth}
        videoHeight={videoHeight}
        onLeave={() => setJoined(null)}
        onRejoin={() =>
          setJoined((j) => {
            if (!j) return j;
            // A rejoin keeps name and channel, and picks up a mute or camera flip made
            // during the call.
            const now = parseJoinPrefs(readStored(JOIN_PREFS_KEY));
            return { ...j, muted: now.muted, facing: now.facing, attempt: j.attempt + 1 };
          })
        }
      />
    );
  }

  const defaults = {
    name: stored.name,
    channel: urlChannel ?? stored.channel,
    muted: stored.muted,
    facing: stored.facing,
  };

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col px-5 pt-[max(2.5rem,env(safe-area-inset-top))] pb-[max(1.5rem,env(safe-area-inset-bottom))]">
      <header className="mb-8 flex items-center gap-3">
        <span className="flex size-11 items-center justify-center rounded-2xl bg-gradient-to-br from-rose-500 to-rose-700 shadow-lg shadow-rose-900/40">
          <CameraIcon className="size-5 text-white" />
        </span>
        <div>
          <h1 className="text-lg font-semibold tracking-tight text-white">Conference Camera</h1>
          <p className="text-sm text-neutral-400">Whoever speaks goes on air.</p>
        </div>
      </header>

      {hydrated && !hasWebRTC() ? <UnsupportedNotice /> : null}

      <section className="rounded-3xl bg-neutral-900/80 p-5 ring-1 ring-white/10 sm:p-6">
        <h2 className="mb-1 text-xl font-semibold tracking-tight text-white">Join a channel</h2>
        <p className="mb-6 text-sm text-neutral-400">Your camera and microphone are shared with the channel.</p>
        {/* The remembered values live in the browser, so the real form appears once
            hydrated; before that a look-alike that cannot be typed into (typing would be
            lost, and a pre-hydration submit would be a plain GET). */}
        {hydrated ? (
          <JoinForm
            defaults={defaults}
            phoneUrl={phoneUrl}
            codeRequired={codeRequired}
            onJoin={(v) => {
              saveJoinPrefs({ name: v.name, channel: v.channel, muted: v.muted, facing: v.facing });
              setJoined({ ...v, attempt: 0 });
            }}
          />
        ) : (
          <JoinFormSkeleton />
        )}
      </section>

      <footer className="mt-auto pt-8 text-center text-sm text-neutral-400">
        Projector or stream?{" "}
        <Link
          href={defaults.channel ? `/viewer?channel=${defaults.channel}` : "/viewer"}
          // A 44 px touch target, like every control, though it reads as a text link.
          className="inline-flex min-h-11 items-center px-1 font-medium text-neutral-300 underline-offset-4 hover:text-white hover:underline"
        >
          Open the program output
        </Link>
      </footer>
    </main>
  );
}

/** Said before anyone presses Join: this browser has no WebRTC, so no call can start here. */
function UnsupportedNotice() {
  return (
    <div
      role="alert"
      data-testid="webrtc-unsupported"
      className="mb-5 flex items-start gap-3 rounded-2xl bg-amber-500/10 p-4 text-sm ring-1 ring-amber-500/30"
    >
      <AlertIcon className="mt-0.5 size-5 shrink-0 text-amber-300" />
      <div>
        <p className="font-semibold text-amber-100">This browser can&apos;t do video calls</p>
        <p className="mt-1 leading-relaxed text-amber-100/80">
          It has no WebRTC. Open this page in {SUPPORTED_BROWSERS} to join.
        </p>
      </div>
    </div>
  );
}

function JoinFormSkeleton() {
  return (
    <div aria-busy="true" className="flex flex-col gap-5">
      {["Your name", "Channel"].map((label) => (
        <div key={label}>
          <p className="mb-2 text-sm font-medium text-neutral-300">{label}</p>
          <div className="h-12 rounded-xl bg-neutral-950 ring-1 ring-white/10 ring-inset" />
        </div>
      ))}
      <div className="h-4" />
      <div className="h-12 rounded-xl bg-white/5 ring-1 ring-white/10 ring-inset" />
      <div className="h-12 rounded-xl bg-white/5 ring-1 ring-white/10 ring-inset" />
      <div className="h-12 rounded-xl bg-white/80" />
    </div>
  );
}
