"use client";
/**
 * One channel on screen: the director's program full-bleed (the speaker, or on a wide
 * shot the grid of the channel's cameras), the room's audio, and (unless ?clean=1) the
 * on-air light, name, channel picker and audio controls. The picture follows only the
 * program in the room's metadata.
 */
import { useEffect, useState } from "react";
import { RoomAudioRenderer, useAudioPlayback } from "@livekit/components-react";
import { useViewerSession } from "@/hooks/use-viewer-session";
import { useProgram } from "@/hooks/use-program";
import { useProgramFeed } from "@/hooks/use-program-feed";
import { useWideTiles } from "@/hooks/use-wide-tiles";
import type { ProgramTransition } from "@/lib/program-transition";
import { useIdle } from "@/hooks/use-idle";
import { ProgramStage } from "@/components/program/program-stage";
import { ConnectionBadge } from "@/components/ui/connection-badge";
import { FailurePanel } from "@/components/ui/failure-panel";
import { JOIN_CODE_INPUT, readJoinCode, saveJoinCode } from "@/lib/client/join-code";
import { SpeakerIcon, SpeakerOffIcon } from "@/components/ui/icons";
import { ChannelSelect } from "@/components/viewer/channel-select";

const AUTO_RETRY_MS = 5000;
const LOST_RETRY_MS = 500;

export function ViewerSession({
  channel,
  clean,
  transition,
  audioMuted,
  onToggleAudio,
  onChooseChannel,
  onRetry,
}: {
  channel: number;
  clean: boolean;
  transition: ProgramTransition;
  audioMuted: boolean;
  onToggleAudio: () => void;
  onChooseChannel: (n: number) => void;
  onRetry: () => void;
}) {
  const s = useViewerSession(channel);
  const { room } = s;
  const program = useProgram(room);
  const feed = useProgramFeed(room, program);
  const tiles = useWideTiles(room, program);
  const wide = program?.shot === "wide" && tiles.length > 0;
  const idle = useIdle(3500, !clean);
  // LiveKit's StartAudio button stays in the page (display: none) once audio plays and
  // takes only a text label; this page's button has an icon and goes away, so only the
  // hook is LiveKit's.
  const { canPlayAudio, startAudio: start } = useAudioPlayback(room);
  const audioBlocked = !canPlayAudio;
  const startAudio = () => void start().catch(() => undefined);
  const failure = s.failure ?? (s.ended ? { kind: "unreachable" as const, title: "Disconnected", message: s.ended } : null);

  // A projector or OBS source has nobody at it: keep trying on its own (unless the
  // browser itself can't, which no retry changes), at once when
  // LiveKit lost the connection (the last picture stays up meanwhile).
  const failed = failure !== null && failure.kind !== "unsupported";
  const lost = s.lost;
  useEffect(() => {
    if (!failed && !lost) return;
    const t = setTimeout(onRetry, lost ? LOST_RETRY_MS : AUTO_RETRY_MS);
    return () => clearTimeout(t);
  }, [failed, lost, onRetry]);

  return (
    <main
      className={`relative h-dvh w-full overflow-hidden bg-black ${idle ? "cursor-none" : ""}`}
      // OBS mode shows no button, so any click (OBS "Interact") unblocks audio.
      onClick={clean && audioBlocked ? startAudio : undefined}
    >
      <ProgramStage
        feed={feed}
        shot={program?.shot}
        tiles={tiles}
        transition={transition}
        clean={clean}
        fit="contain"
        waitingHint={`Channel ${channel}`}
      />

      {/* Every voice in the room; muted, LiveKit also stops sending the audio here. */}
      <RoomAudioRenderer room={room} muted={audioMuted} />

      {!clean ? (
        <>
          <div className="pointer-events-none absolute inset-x-0 top-0 z-40 flex items-start justify-between gap-3 bg-gradient-to-b from-black/60 to-transparent px-[max(1.25rem,env(safe-area-inset-left))] pt-[max(1.25rem,env(safe-area-inset-top))] pb-10">
            <div className="flex items-center gap-3">
              {feed || wide ? (
                <span
                  data-testid="onair-indicator"
                  className="inline-flex h-8 shrink-0 items-center gap-2 rounded-lg bg-onair px-3 text-xs whitespace-nowrap font-bold tracking-[0.2em] text-white uppercase shadow-lg shadow-rose-950/50"
                >
                  <span className="size-2 animate-pulse rounded-full bg-white" aria-hidden="true" />
                  On air
                </span>
              ) : (
                <span className="inline-flex h-8 shrink-0 items-center gap-2 rounded-lg bg-white/10 px-3 text-xs whitespace-nowrap font-bold tracking-[0.2em] text-neutral-300 uppercase">
                  <span className="size-2 rounded-full bg-neutral-500" aria-hidden="true" />
                  Standby
                </span>
              )}
            </div>
            <div
              className={`pointer-events-auto flex flex-wrap items-center justify-end gap-2 transition-opacity duration-500 ${idle ? "opacity-0" : "opacity-100"}`}
            >
              <ConnectionBadge state={s.state} />
              <ChannelSelect value={channel} onChange={onChooseChannel} />
              <button
                type="button"
                data-testid="audio-toggle"
                aria-pressed={audioMuted}
                aria-label={audioMuted ? "Unmute program audio" : "Mute program audio"}
                onClick={onToggleAudio}
                className={`flex size-11 items-center justify-center rounded-xl ring-1 ring-inset backdrop-blur transition-colors ${
                  audioMuted ? "bg-rose-600 text-white ring-rose-400/40" : "bg-neutral-900/80 text-white ring-white/15 hover:bg-neutral-800"
                }`}
              >
                {audioMuted ? <SpeakerOffIcon className="size-5" /> : <SpeakerIcon className="size-5" />}
              </button>
            </div>
          </div>

          {audioBlocked && !failure ? (
            <div className="absolute inset-x-0 bottom-24 z-40 flex justify-center px-4">
              <button
                type="button"
                data-testid="start-audio"
                onClick={startAudio}
                className="flex min-h-12 items-center gap-3 rounded-full bg-white px-6 text-base font-semibold text-neutral-950 shadow-2xl hover:bg-neutral-200"
              >
                <SpeakerIcon className="size-5" />
                Tap to start audio
              </button>
            </div>
          ) : null}

          {failure ? (
            <div className="absolute inset-0 z-50 flex items-center justify-center bg-black/70 p-5">
              <FailurePanel failure={failure} onRetry={onRetry}>
                {failure.kind === "join-code" ? <JoinCodeInput onSubmit={onRetry} /> : null}
              </FailurePanel>
            </div>
          ) : null}
        </>
      ) : null}
    </main>
  );
}

/** The viewer's way to enter the event's join code after a refusal; "Try again" then uses it. */
function JoinCodeInput({ onSubmit }: { onSubmit: () => void }) {
  const [code, setCode] = useState(() => readJoinCode());
  return (
    <form
      className="flex w-full gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        saveJoinCode(code);
        onSubmit();
      }}
    >
      <input
        data-testid="viewer-join-code"
        aria-label="Join code"
        {...JOIN_CODE_INPUT}
        placeholder="Join code"
        value={code}
        onChange={(e) => {
          setCode(e.target.value);
          saveJoinCode(e.target.value);
        }}
        className="h-11 min-w-0 flex-1 rounded-xl bg-neutral-950 px-3 text-base text-white ring-1 ring-white/10 ring-inset focus:ring-2 focus:ring-sky-400 focus:outline-none"
      />
    </form>
  );
}
