"use client";
/**
 * Full-screen program: whoever the director put on air, large, with a small self-view;
 * on a wide shot the grid of the channel's cameras, this person's own among them.
 * Rendered as a fixed overlay, so it also works where the Fullscreen API doesn't.
 */
import type { LocalVideoTrack, Room } from "livekit-client";
import type { ProgramFeed } from "@/hooks/use-program-feed";
import { useWideTiles } from "@/hooks/use-wide-tiles";
import type { ProgramState } from "@/lib/room-state";
import { ProgramStage } from "@/components/program/program-stage";
import { LocalVideo } from "@/components/join/local-video";
import { OnAirBadge } from "@/components/join/participant-tile";
import { CloseIcon } from "@/components/ui/icons";

export function ProgramOverlay({
  room,
  program,
  feed,
  selfCamera,
  mirrorSelf = true,
  onClose,
  channel,
}: {
  room: Room;
  program: ProgramState | null;
  feed: ProgramFeed | null;
  selfCamera: LocalVideoTrack | null;
  /** Front camera: mirrored like a selfie; the back camera is shown as it is. */
  mirrorSelf?: boolean;
  onClose: () => void;
  channel: number;
}) {
  const tiles = useWideTiles(room, program, { includeLocal: true });
  const wide = program?.shot === "wide" && tiles.length > 0;
  return (
    <div
      data-testid="program-view"
      role="dialog"
      aria-modal="true"
      aria-label="Program"
      className="fixed inset-0 z-50 bg-black"
    >
      <ProgramStage
        feed={feed}
        shot={program?.shot}
        tiles={tiles}
        fit="contain"
        waitingHint={`Channel ${channel}`}
        labelClassName={selfCamera ? "pr-36 sm:pr-52" : ""}
      />

      <div className="absolute inset-x-0 top-0 z-40 flex items-center justify-between gap-3 bg-gradient-to-b from-black/70 to-transparent px-[max(1rem,env(safe-area-inset-left))] pt-[max(1rem,env(safe-area-inset-top))] pb-8">
        {feed || wide ? (
          <span className="flex items-center gap-3">
            <OnAirBadge />
            {feed?.isLocal && !wide ? <span className="text-sm font-medium text-white drop-shadow">That’s you</span> : null}
          </span>
        ) : (
          <span className="text-xs font-semibold tracking-widest text-neutral-400 uppercase">Standby</span>
        )}
        <button
          type="button"
          onClick={onClose}
          data-testid="fullscreen-close"
          aria-label="Close full screen"
          className="flex size-11 items-center justify-center rounded-full bg-white/15 text-white backdrop-blur hover:bg-white/25"
        >
          <CloseIcon className="size-5" />
        </button>
      </div>

      {/* On a wide shot their own camera is in the grid. */}
      {selfCamera && !wide ? (
        <div className="absolute right-[max(1rem,env(safe-area-inset-right))] bottom-[max(1rem,env(safe-area-inset-bottom))] z-40 aspect-[4/3] w-28 overflow-hidden rounded-xl bg-neutral-900 shadow-2xl ring-1 ring-white/20 sm:w-44">
          <LocalVideo
            track={selfCamera}
            className={`h-full w-full object-cover ${mirrorSelf ? "-scale-x-100" : ""}`}
            aria-label="Your camera"
          />
        </div>
      ) : null}
    </div>
  );
}
