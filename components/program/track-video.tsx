"use client";
/** A <video> showing one LiveKit video track; attach on mount, detach on unmount. */
import { useEffect, useRef, type VideoHTMLAttributes } from "react";
import type { VideoTrack } from "livekit-client";

export function TrackVideo({
  track,
  className = "",
  ...rest
}: { track: VideoTrack | null } & Omit<VideoHTMLAttributes<HTMLVideoElement>, "ref">) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !track) return;
    track.attach(el);
    return () => {
      track.detach(el);
    };
  }, [track]);
  return <video ref={ref} autoPlay playsInline muted disablePictureInPicture className={className} {...rest} />;
}
