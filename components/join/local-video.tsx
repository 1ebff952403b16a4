"use client";
/**
 * This browser's own camera: the self-view in the grid, in the device check and in the
 * program overlay's corner.
 *
 * Hand-written on purpose, not LiveKit's <VideoTrack>: that one draws a TrackReference,
 * i.e. a track published in a connected room, while the self-view shows the camera from
 * the moment it opens, before the token and the connection (and on the device check,
 * where a browser without WebRTC never connects at all). LiveKit's own PreJoin preview
 * attaches its local track by hand the same way.
 */
import { useEffect, useRef, type VideoHTMLAttributes } from "react";
import type { LocalVideoTrack } from "livekit-client";

export function LocalVideo({
  track,
  ...rest
}: { track: LocalVideoTrack | null } & Omit<VideoHTMLAttributes<HTMLVideoElement>, "ref"> & Record<`data-${string}`, string | undefined>) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !track) return;
    track.attach(el);
    return () => {
      track.detach(el);
    };
  }, [track]);
  return <video ref={ref} autoPlay playsInline muted disablePictureInPicture {...rest} />;
}
