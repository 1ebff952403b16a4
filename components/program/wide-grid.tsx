"use client";
/**
 * The wide shot: the channel's cameras as a tidy grid (gridShape), each with its name in
 * the program's lower-third style. Each tile attaches its camera to its own <video> and
 * reports when that has drawn a frame (onFirstFrame), so the stage switches to the grid
 * only once every camera in it has a picture, as a cut waits for the speaker's.
 *
 * Hand-written <video>s, not LiveKit's <VideoTrack>, for that first-frame wait; adaptive
 * stream still pulls each camera at its tile's size, and pauses it when the grid goes.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { VideoTrack } from "livekit-client";
import type { WideTile } from "@/hooks/use-wide-tiles";
import { onFirstFrame } from "@/components/program/first-frame";
import { gridShape } from "@/components/program/grid-shape";
import { initial } from "@/components/program/program-stage";
import { DISSOLVE_STYLE } from "@/lib/program-transition";

/** Space between tiles, as a share of the shorter side of the stage. */
const GAP_SHARE = 0.012;

export function WideGrid({
  tiles,
  visible,
  fade,
  names,
  onReadyChange,
  onFadedOut,
}: {
  tiles: WideTile[];
  /** The grid is the picture (otherwise it is mounted underneath, waiting for frames, or leaving). */
  visible: boolean;
  /** Dissolve the grid in and out instead of cutting. */
  fade: boolean;
  /** Names on the tiles (off in OBS's clean mode). */
  names: boolean;
  /** Every camera in the grid has drawn a frame (or it has none). */
  onReadyChange: (ready: boolean) => void;
  /** A dissolve out has ended: the grid is fully transparent and can go. */
  onFadedOut?: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const size = useSize(ref);
  const [drawn, setDrawn] = useState<ReadonlySet<string>>(() => new Set());
  const onFrame = useCallback((key: string) => setDrawn((d) => (d.has(key) ? d : new Set(d).add(key))), []);

  const ready = tiles.every((t) => !t.track || drawn.has(tileKey(t)));
  useEffect(() => onReadyChange(ready), [ready, onReadyChange]);
  // Gone, the grid is no longer ready: the next wide shot waits for its own frames.
  useEffect(() => () => onReadyChange(false), [onReadyChange]);

  const gap = size ? Math.max(4, Math.round(Math.min(size.w, size.h) * GAP_SHARE)) : 0;
  const shape = size ? gridShape(tiles.length, size.w - 2 * gap, size.h - 2 * gap, gap) : null;

  return (
    <div
      ref={ref}
      data-testid="wide-grid"
      data-state={visible ? "shown" : "pending"}
      data-tiles={tiles.length}
      data-cols={shape?.cols}
      data-rows={shape?.rows}
      aria-hidden={visible ? undefined : true}
      className={`absolute inset-0 z-[25] flex flex-col items-center justify-center bg-black ${
        visible ? "opacity-100" : "pointer-events-none opacity-0"
      }`}
      style={{ gap, padding: gap, ...(fade ? DISSOLVE_STYLE : {}) }}
      onTransitionEnd={(e) => {
        if (e.target === e.currentTarget && e.propertyName === "opacity" && !visible) onFadedOut?.();
      }}
    >
      {shape
        ? rowsOf(tiles, shape.cols).map((row, i) => (
            // One row at a time, so a short last row is centred under the others.
            <div key={i} className="flex justify-center" style={{ gap }}>
              {row.map((t) => (
                <GridTile
                  key={t.identity}
                  tile={t}
                  width={shape.tileWidth}
                  height={shape.tileHeight}
                  drawn={drawn.has(tileKey(t))}
                  onFrame={onFrame}
                  name={names}
                />
              ))}
            </div>
          ))
        : null}
    </div>
  );
}

function rowsOf<T>(items: T[], cols: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += cols) rows.push(items.slice(i, i + cols));
  return rows;
}

function tileKey(t: { identity: string; trackSid: string | null }): string {
  return `${t.identity}:${t.trackSid ?? ""}`;
}

function GridTile({
  tile,
  width,
  height,
  drawn,
  onFrame,
  name,
}: {
  tile: WideTile;
  width: number;
  height: number;
  drawn: boolean;
  onFrame: (key: string) => void;
  name: boolean;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const key = tileKey(tile);
  useAttached(video, tile.track, key, onFrame);
  // Text scales with the tile: a 3×3 on a projector and a 2×1 on a phone both read.
  const fontSize = Math.round(Math.min(30, Math.max(12, width / 16)));
  return (
    <div
      data-testid="wide-tile"
      data-identity={tile.identity}
      data-drawn={tile.track ? String(drawn) : "no-camera"}
      className="relative shrink-0 overflow-hidden rounded-[0.6%] bg-neutral-900 ring-1 ring-white/10"
      style={{ width, height }}
    >
      <span
        aria-hidden="true"
        className="absolute inset-0 flex items-center justify-center font-semibold text-neutral-300"
        style={{ fontSize: Math.round(height / 3.5) }}
      >
        {initial(tile.name)}
      </span>
      {tile.track ? (
        <video
          ref={video}
          autoPlay
          playsInline
          muted
          disablePictureInPicture
          data-testid="wide-video"
          data-identity={tile.identity}
          data-track-sid={tile.trackSid ?? undefined}
          className={`absolute inset-0 h-full w-full bg-neutral-900 object-cover ${drawn ? "opacity-100" : "opacity-0"}`}
        />
      ) : null}
      {name ? (
        <div
          className="pointer-events-none absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/80 via-black/30 to-transparent"
          style={{ padding: `${fontSize * 2}px ${fontSize * 0.6}px ${fontSize * 0.5}px` }}
        >
          <p
            data-testid="wide-tile-name"
            className="truncate border-l-4 border-onair pl-[0.45em] leading-tight font-semibold tracking-tight text-white drop-shadow"
            style={{ fontSize }}
          >
            {tile.name}
          </p>
        </div>
      ) : null}
    </div>
  );
}

/** Attach `track` to the element while mounted, and report its first frame under `key`. */
function useAttached(
  ref: React.RefObject<HTMLVideoElement | null>,
  track: VideoTrack | null,
  key: string,
  onFrame: (key: string) => void,
): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || !track) return;
    track.attach(el);
    const cancel = onFirstFrame(el, () => onFrame(key));
    return () => {
      cancel();
      track.detach(el);
    };
  }, [ref, track, key, onFrame]);
}

/** The element's size in px, kept current; null before the first layout. */
function useSize(ref: React.RefObject<HTMLElement | null>): { w: number; h: number } | null {
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setSize((s) => (s && s.w === r.width && s.h === r.height ? s : { w: r.width, h: r.height }));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}
