"use client";
/**
 * The program output's client root: picks the channel (?channel=, the select, or the
 * remembered one) and mounts one connection per channel and attempt.
 */
import { useCallback, useState } from "react";
import { VIEWER_PREFS_KEY, JOIN_PREFS_KEY, parseJoinPrefs, parseViewerPrefs, saveViewerPrefs } from "@/lib/client/prefs";
import { useHydrated, useStored } from "@/hooks/use-stored";
import { ChannelSelect } from "@/components/viewer/channel-select";
import { ViewerSession } from "@/components/viewer/viewer-session";
import type { ProgramTransition } from "@/lib/program-transition";

export function ViewerApp({
  urlChannel,
  clean,
  transition,
}: {
  urlChannel: number | null;
  clean: boolean;
  transition: ProgramTransition;
}) {
  const hydrated = useHydrated();
  const viewerPrefs = parseViewerPrefs(useStored(VIEWER_PREFS_KEY));
  const joinPrefs = parseJoinPrefs(useStored(JOIN_PREFS_KEY));
  const [picked, setPicked] = useState<number | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [audioMuted, setAudioMuted] = useState<boolean | null>(null);

  const channel = picked ?? urlChannel ?? viewerPrefs.channel ?? joinPrefs.channel;
  const muted = audioMuted ?? viewerPrefs.audioMuted;

  const retry = useCallback(() => setAttempt((a) => a + 1), []);

  const choose = (n: number) => {
    setPicked(n);
    saveViewerPrefs({ channel: n });
    // Keep the address shareable: a reload (or OBS) comes back to the same channel.
    const url = new URL(window.location.href);
    url.searchParams.set("channel", String(n));
    window.history.replaceState(null, "", url);
  };

  // The remembered channel is only known in the browser: stay black until then rather
  // than flash the picker.
  if (channel === null && !hydrated) return <main className="min-h-dvh bg-black" />;

  if (channel === null) {
    return (
      <main className="flex min-h-dvh items-center justify-center bg-black p-6">
        {clean ? null : (
          <div className="w-full max-w-sm rounded-3xl bg-neutral-900/80 p-6 text-center ring-1 ring-white/10">
            <h1 className="text-xl font-semibold tracking-tight text-white">Program output</h1>
            <p className="mt-1 mb-6 text-sm text-neutral-400">Pick the channel to show on this screen.</p>
            <ChannelSelect value={null} onChange={choose} className="w-full [&>select]:w-full" />
            <p className="mt-4 text-xs text-neutral-400">
              Tip: add <code className="text-neutral-300">?clean=1</code> for an OBS browser source.
            </p>
          </div>
        )}
      </main>
    );
  }

  return (
    <ViewerSession
      key={`${channel}:${attempt}`}
      channel={channel}
      clean={clean}
      transition={transition}
      audioMuted={muted}
      onToggleAudio={() => {
        setAudioMuted(!muted);
        saveViewerPrefs({ audioMuted: !muted });
      }}
      onChooseChannel={choose}
      onRetry={retry}
    />
  );
}
