"use client";
/** Plays one remote audio track through an <audio> element LiveKit knows about. */
import { useEffect, useRef } from "react";
import type { RemoteAudioTrack } from "livekit-client";

export function AudioTrack({ track, muted }: { track: RemoteAudioTrack; muted: boolean }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // attach() registers the element, so room.startAudio() can unblock it later.
    track.attach(el);
    return () => {
      track.detach(el);
    };
  }, [track]);
  useEffect(() => {
    if (ref.current) ref.current.muted = muted;
  }, [muted]);
  return <audio ref={ref} autoPlay muted={muted} />;
}
