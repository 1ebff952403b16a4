"use client";
/**
 * The program picture, switched like a vision mixer: two stacked <video> elements.
 * A new program's track is attached to the hidden one, and the cut happens only once
 * that element has drawn its first frame, so the outgoing picture stays up until
 * then and the screen never goes blank between speakers.
 */
import { useEffect, useRef, useState } from "react";
import type { VideoTrack } from "livekit-client";
import type { ProgramFeed } from "@/hooks/use-program-feed";
import { onFirstFrame } from "@/components/program/first-frame";

/** Cut anyway after this long: a stalled track must not keep the old speaker up forever. */
const MAX_SWITCH_WAIT_MS = 4000;
/** Keep the last picture this long when the program drops, in case it comes straight back. */
const RELEASE_DELAY_MS = 300;

type Slot = 0 | 1;
interface Shown {
  slot: Slot;
  identity: string;
  name: string;
  trackSid: string | null;
  track: VideoTrack;
}

export function ProgramStage({
  feed,
  clean = false,
  fit = "contain",
  mirrorLocal = false,
  showName = true,
  waitingHint,
  labelClassName = "",
}: {
  feed: ProgramFeed | null;
  /** OBS mode: no text at all, black where there is no picture. */
  clean?: boolean;
  fit?: "contain" | "cover";
  mirrorLocal?: boolean;
  showName?: boolean;
  waitingHint?: string;
  /** Extra classes for the name strip, e.g. room for a self-view in a corner. */
  labelClassName?: string;
}) {
  const refA = useRef<HTMLVideoElement>(null);
  const refB = useRef<HTMLVideoElement>(null);
  const attached = useRef<[VideoTrack | null, VideoTrack | null]>([null, null]);
  const visible = useRef<Slot>(0);
  const [shown, setShown] = useState<Shown | null>(null);

  const track = feed?.track ?? null;
  const identity = feed?.identity ?? null;
  const name = feed?.name ?? "";
  const trackSid = feed?.trackSid ?? null;

  useEffect(() => {
    const els: [HTMLVideoElement | null, HTMLVideoElement | null] = [refA.current, refB.current];
    const detach = (slot: Slot) => {
      const t = attached.current[slot];
      const el = els[slot];
      if (t && el) t.detach(el);
      attached.current[slot] = null;
    };

    if (!track || !identity) {
      const t = setTimeout(() => {
        detach(0);
        detach(1);
        setShown(null);
      }, RELEASE_DELAY_MS);
      return () => clearTimeout(t);
    }

    const vis = visible.current;
    if (attached.current[vis] === track) {
      // Already on screen (same track, maybe a new name): just refresh the label.
      const t = setTimeout(() => setShown({ slot: vis, identity, name, trackSid, track }), 0);
      return () => clearTimeout(t);
    }

    const standby: Slot = vis === 0 ? 1 : 0;
    const el = els[standby];
    if (!el) return;
    if (attached.current[standby] !== track) {
      detach(standby);
      track.attach(el);
      attached.current[standby] = track;
    }

    let finished = false;
    const cut = () => {
      if (finished) return;
      finished = true;
      visible.current = standby;
      setShown({ slot: standby, identity, name, trackSid, track });
      // Release the outgoing track after the cut has painted (adaptive stream then
      // pauses it), unless something else has been attached there meanwhile.
      const old = attached.current[vis];
      if (old && old !== track) {
        setTimeout(() => {
          if (attached.current[vis] === old && visible.current !== vis) detach(vis);
        }, 500);
      }
    };
    const cancelWait = onFirstFrame(el, cut);
    const timeout = setTimeout(cut, MAX_SWITCH_WAIT_MS);
    return () => {
      finished = true;
      cancelWait();
      clearTimeout(timeout);
    };
  }, [track, identity, name, trackSid]);

  useEffect(() => {
    const els = [refA.current, refB.current];
    const slots = attached.current;
    return () => {
      // Unmount (or strict mode's rehearsal of it): let go of both elements.
      for (const i of [0, 1] as const) {
        const t = slots[i];
        const el = els[i];
        if (t && el) t.detach(el);
        slots[i] = null;
      }
      visible.current = 0;
    };
  }, []);

  const hasPicture = track !== null && shown !== null;
  const labelName = hasPicture && shown.identity === identity ? name : hasPicture ? shown.name : name;
  const objectFit = fit === "contain" ? "object-contain" : "object-cover";

  const videoProps = (slot: Slot) => {
    const isVisible = hasPicture && shown.slot === slot;
    const mirror = mirrorLocal && isVisible && feed?.isLocal && shown.identity === feed.identity;
    return {
      autoPlay: true,
      playsInline: true,
      muted: true,
      disablePictureInPicture: true,
      "data-testid": isVisible ? "program-video" : undefined,
      "data-identity": isVisible ? shown.identity : undefined,
      "data-track-sid": isVisible ? (shown.trackSid ?? undefined) : undefined,
      "data-role": isVisible ? "program" : "standby",
      "aria-hidden": isVisible ? undefined : true,
      className: `absolute inset-0 h-full w-full bg-black ${objectFit} ${isVisible ? "z-10 opacity-100" : "z-0 opacity-0"} ${mirror ? "-scale-x-100" : ""}`,
    } as const;
  };

  return (
    <div className="absolute inset-0 overflow-hidden bg-black">
      <video ref={refA} {...videoProps(0)} />
      <video ref={refB} {...videoProps(1)} />

      {!feed || !track ? (
        <div
          data-testid="waiting-state"
          className="absolute inset-0 z-20 flex items-center justify-center bg-black p-6 text-center"
        >
          {!clean && (
            <div className="flex max-w-sm flex-col items-center gap-4">
              {feed ? (
                <span className="flex size-20 items-center justify-center rounded-full bg-neutral-800 text-3xl font-semibold text-neutral-200 ring-1 ring-white/10">
                  {initial(feed.name)}
                </span>
              ) : (
                <span className="relative flex size-16 items-center justify-center">
                  <span className="absolute inset-0 animate-ping rounded-full bg-white/10 [animation-duration:2.4s]" />
                  <span className="size-4 rounded-full bg-neutral-500" />
                </span>
              )}
              <p className="text-xl font-semibold tracking-tight text-white sm:text-2xl">
                {feed ? `${feed.name} has no camera on` : "Waiting for a speaker"}
              </p>
              <p className="text-sm text-neutral-400">
                {feed ? "They are on air with audio only." : (waitingHint ?? "Whoever speaks goes on air.")}
              </p>
            </div>
          )}
        </div>
      ) : null}

      {showName && !clean && feed ? (
        <div className={`pointer-events-none absolute inset-x-0 bottom-0 z-30 bg-gradient-to-t from-black/80 via-black/30 to-transparent px-[max(1.25rem,env(safe-area-inset-left))] pt-16 pb-[max(1.25rem,env(safe-area-inset-bottom))] ${labelClassName}`}>
          <p
            data-testid="program-name"
            className="max-w-[min(100%,48rem)] truncate border-l-4 border-onair pl-3 text-2xl font-semibold tracking-tight text-white drop-shadow sm:pl-4 sm:text-4xl"
          >
            {labelName}
          </p>
          {feed.pinned ? (
            <p
              data-testid="program-pinned"
              className="mt-2 inline-block rounded bg-amber-400 px-1.5 py-0.5 text-[11px] font-bold tracking-wider text-neutral-950 uppercase"
            >
              Pinned by the host
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

export function initial(name: string): string {
  const ch = Array.from(name.trim())[0];
  return ch ? ch.toUpperCase() : "?";
}
