"use client";
/**
 * The program picture, switched like a vision mixer: two stacked <video> elements.
 * A new program's track is attached to the hidden one, and the cut happens only once
 * that element has drawn its first frame, so the outgoing picture stays up until
 * then and the screen never goes blank between speakers.
 *
 * The wide shot is a third layer above them (WideGrid), switched the same way: it goes
 * up once each of its cameras has drawn, and comes down once the speaker below has.
 * A dissolve (PROGRAM_TRANSITION) fades the incoming layer in over the outgoing one,
 * which stays fully up underneath until the fade ends, so no frame shows less than a
 * whole picture; it too starts only after the incoming frame has drawn.
 *
 * Hand-written on purpose, not LiveKit's <VideoTrack>: that one attaches its track as it
 * renders and shows whatever the element has, while a cut here must wait, on a hidden
 * element, for the incoming track's first decoded frame, keep the outgoing picture up
 * until then, and let go of the old track only after the cut has painted.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { VideoTrack } from "livekit-client";
import type { ProgramFeed } from "@/hooks/use-program-feed";
import type { WideTile } from "@/hooks/use-wide-tiles";
import { useReducedMotion } from "@/hooks/use-reduced-motion";
import type { Shot } from "@/lib/room-state";
import { DISSOLVE_MS, DISSOLVE_STYLE, type ProgramTransition } from "@/lib/program-transition";
import { onFirstFrame } from "@/components/program/first-frame";
import { WideGrid } from "@/components/program/wide-grid";

/** Cut anyway after this long: a stalled track must not keep the old speaker up forever. */
const MAX_SWITCH_WAIT_MS = 4000;
/** Keep the last picture this long when the program drops, in case it comes straight back. */
const RELEASE_DELAY_MS = 300;
/** Let go of the outgoing track this long after the cut has painted (or the fade ended). */
const OLD_TRACK_HOLD_MS = 500;
/**
 * A dissolve ends when its transition does (transitionend): on a loaded machine it may
 * start frames late, and the outgoing picture must stay up under the incoming one until
 * that is whole. This is the fallback should that event never come.
 */
const FADE_GIVE_UP_MS = DISSOLVE_MS + 1000;
/** How often a switch waiting for a fade to end looks again. */
const FADE_POLL_MS = 50;
/** However a fade goes, the picture underneath is let go after this long. */
const FADE_HARD_LIMIT_MS = DISSOLVE_MS + 5000;

const NO_TILES: WideTile[] = [];

type Slot = 0 | 1;
interface Shown {
  slot: Slot;
  identity: string;
  name: string;
  trackSid: string | null;
  track: VideoTrack;
  /** came in with a dissolve (the first picture, from black, always cuts) */
  fade?: boolean;
}

export function ProgramStage({
  feed,
  shot: wanted = "speaker",
  tiles = NO_TILES,
  transition = "cut",
  onShot,
  tileNames,
  clean = false,
  fit = "contain",
  mirrorLocal = false,
  showName = true,
  waitingHint,
  labelClassName = "",
}: {
  feed: ProgramFeed | null;
  /** The program's shot; "wide" shows `tiles` as a grid. */
  shot?: Shot;
  /** The wide shot's cameras (useWideTiles). */
  tiles?: WideTile[];
  /** How pictures change; a viewer who prefers reduced motion gets cuts. */
  transition?: ProgramTransition;
  /** Told which shot is on screen, when it changes (after the wait for its frames). */
  onShot?: (shot: Shot) => void;
  /** Names on the wide shot's tiles; default: unless `clean`. */
  tileNames?: boolean;
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
  // The outgoing slot, held fully up underneath while the incoming one fades in.
  const [fading, setFading] = useState<Slot | null>(null);
  // The slot a fade holds up (the same as `fading`, readable at once by the effects).
  const fadingSlot = useRef<Slot | null>(null);
  // A speaker change under a shown grid is not seen: it cuts, so the grid reveals a whole picture.
  const gridUp = useRef(false);
  const reducedMotion = useReducedMotion();
  const dissolve = transition === "dissolve" && !reducedMotion;
  // Read when a cut happens, without restarting a switch under way when it changes.
  const dissolveRef = useRef(dissolve);
  useEffect(() => {
    dissolveRef.current = dissolve;
  }, [dissolve]);

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

    let finished = false;
    let cancelWait = () => {};
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const cut = () => {
      if (finished) return;
      finished = true;
      // Fade only from a picture: the first one (from black) and a stalled track's
      // forced switch just cut.
      const fade = dissolveRef.current && !gridUp.current && attached.current[vis] !== null && el.videoWidth > 0;
      visible.current = standby;
      setShown({ slot: standby, identity, name, trackSid, track, fade });
      if (fade) {
        fadingSlot.current = vis;
        setFading(vis);
        const fadeStarted = performance.now();
        let poll: ReturnType<typeof setTimeout> | undefined;
        const end = () => {
          el.removeEventListener("transitionend", onEnd);
          clearTimeout(giveUp);
          clearTimeout(poll);
          if (fadingSlot.current !== vis) return;
          // The picture underneath goes only once the incoming one covers it whole: an
          // end that comes early (a give-up on a slow page, a cancelled transition's
          // stray event) must not leave it half-transparent over black.
          if (Number(getComputedStyle(el).opacity) < 1 && performance.now() - fadeStarted < FADE_HARD_LIMIT_MS) {
            poll = setTimeout(end, FADE_POLL_MS);
            return;
          }
          fadingSlot.current = null;
          setFading((f) => (f === vis ? null : f));
        };
        const onEnd = (e: TransitionEvent) => {
          if (e.target === el && e.propertyName === "opacity") end();
        };
        el.addEventListener("transitionend", onEnd);
        const giveUp = setTimeout(end, FADE_GIVE_UP_MS);
      } else {
        fadingSlot.current = null;
        setFading(null);
      }
      // Release the outgoing track after the cut has painted (adaptive stream then
      // pauses it) and any fade has ended, unless something else has been attached there.
      const old = attached.current[vis];
      if (old && old !== track) {
        const release = () => {
          if (fadingSlot.current === vis) return void setTimeout(release, FADE_POLL_MS);
          if (attached.current[vis] === old && visible.current !== vis) detach(vis);
        };
        setTimeout(release, OLD_TRACK_HOLD_MS);
      }
    };
    const begin = () => {
      if (attached.current[standby] !== track) {
        detach(standby);
        track.attach(el);
        attached.current[standby] = track;
      }
      cancelWait = onFirstFrame(el, cut);
      timeout = setTimeout(cut, MAX_SWITCH_WAIT_MS);
    };
    // The standby element is the one a fade still holds up underneath: reuse it only
    // once the fade has ended.
    let start: ReturnType<typeof setTimeout> | undefined;
    const whenFree = () => {
      if (fadingSlot.current === standby) start = setTimeout(whenFree, FADE_POLL_MS);
      else begin();
    };
    whenFree();
    return () => {
      finished = true;
      clearTimeout(start);
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

  // The wide shot: the grid is mounted while wanted (hidden until its cameras have drawn),
  // and while it leaves.
  const wantWide = wanted === "wide" && tiles.length > 0;
  const [wideOn, setWideOn] = useState(false);
  const [gridLeaving, setGridLeaving] = useState(false);
  const [gridReady, setGridReady] = useState(false);
  const onGridReady = useCallback((ready: boolean) => setGridReady(ready), []);
  const speakerReady = !track || (shown !== null && shown.track === track);

  useEffect(() => {
    if (wantWide === wideOn) return;
    const ready = wantWide ? gridReady : speakerReady;
    const change = () => {
      setWideOn(wantWide);
      if (!wantWide && dissolveRef.current) setGridLeaving(true);
    };
    // Switch once the incoming shot has drawn; a stalled camera must not hold it forever.
    const t = setTimeout(change, ready ? 0 : MAX_SWITCH_WAIT_MS);
    return () => clearTimeout(t);
  }, [wantWide, wideOn, gridReady, speakerReady]);

  // The grid goes when its fade out has ended (onFadedOut); this is the fallback.
  useEffect(() => {
    if (!gridLeaving) return;
    const t = setTimeout(() => setGridLeaving(false), FADE_GIVE_UP_MS);
    return () => clearTimeout(t);
  }, [gridLeaving]);
  const onGridFadedOut = useCallback(() => setGridLeaving(false), []);

  const shot: Shot = wideOn ? "wide" : "speaker";
  useEffect(() => {
    gridUp.current = wideOn;
  }, [wideOn]);
  useEffect(() => onShot?.(shot), [shot, onShot]);

  const gridMounted = wantWide || wideOn || gridLeaving;

  const hasPicture = track !== null && shown !== null;
  const labelName = hasPicture && shown.identity === identity ? name : hasPicture ? shown.name : name;
  const objectFit = fit === "contain" ? "object-contain" : "object-cover";

  const videoProps = (slot: Slot) => {
    const isVisible = hasPicture && shown.slot === slot;
    const isFading = hasPicture && fading === slot && !isVisible;
    const mirror = mirrorLocal && isVisible && feed?.isLocal && shown.identity === feed.identity;
    return {
      autoPlay: true,
      playsInline: true,
      muted: true,
      disablePictureInPicture: true,
      "data-testid": isVisible ? "program-video" : undefined,
      "data-identity": isVisible ? shown.identity : undefined,
      "data-track-sid": isVisible ? (shown.trackSid ?? undefined) : undefined,
      "data-role": isVisible ? "program" : isFading ? "fading" : "standby",
      "aria-hidden": isVisible ? undefined : true,
      // Only the incoming picture animates: it fades in over the outgoing one, which
      // stays fully up (isFading) until the fade has ended.
      className: `absolute inset-0 h-full w-full bg-black ${objectFit} ${isVisible ? "z-10 opacity-100" : isFading ? "z-0 opacity-100" : "z-0 opacity-0"} ${mirror ? "-scale-x-100" : ""}`,
      style: isVisible && shown.fade ? DISSOLVE_STYLE : undefined,
    } as const;
  };

  return (
    <div
      data-testid="program-stage"
      data-shot={shot}
      data-transition={dissolve ? "dissolve" : "cut"}
      data-last-change={shown?.fade ? "dissolve" : "cut"}
      className="absolute inset-0 overflow-hidden bg-black"
    >
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

      {gridMounted ? (
        <WideGrid
          tiles={tiles}
          visible={wideOn}
          fade={dissolve && hasPicture}
          names={tileNames ?? !clean}
          onReadyChange={onGridReady}
          onFadedOut={onGridFadedOut}
        />
      ) : null}

      {showName && !clean && feed && !wideOn ? (
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
