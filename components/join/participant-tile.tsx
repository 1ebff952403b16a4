"use client";
/** One person in the grid: camera (or initial), name as text, speaking ring, on-air badge. */
import { Track, type Participant } from "livekit-client";
import { VideoTrack } from "@livekit/components-react";
import type { ReactNode } from "react";
import { initial } from "@/components/program/program-stage";
import { MicOffIcon } from "@/components/ui/icons";

export function OnAirBadge({ className = "" }: { className?: string }) {
  return (
    <span
      className={`inline-flex h-6 items-center gap-1.5 rounded-md bg-onair px-2 text-[11px] font-bold tracking-wider text-white uppercase shadow ${className}`}
    >
      <span className="size-1.5 animate-pulse rounded-full bg-white" aria-hidden="true" />
      On air
    </span>
  );
}

export function TileFrame({
  name,
  speaking,
  onAir,
  micMuted,
  children,
  footer,
  ...data
}: {
  name: string;
  speaking: boolean;
  onAir: boolean;
  micMuted: boolean;
  children: ReactNode;
  footer?: ReactNode;
} & Record<`data-${string}`, string | undefined>) {
  return (
    <div
      {...data}
      className={`relative aspect-[4/3] overflow-hidden rounded-2xl bg-neutral-900 ring-inset transition-shadow ${
        speaking ? "ring-[3px] ring-emerald-400" : onAir ? "ring-2 ring-onair/70" : "ring-1 ring-white/10"
      }`}
    >
      {children}
      {onAir ? <OnAirBadge className="absolute top-2 left-2 z-10" /> : null}
      <div className="absolute inset-x-0 bottom-0 z-10 flex items-center gap-2 bg-gradient-to-t from-black/75 to-transparent px-3 pt-6 pb-2">
        {micMuted ? <MicOffIcon className="size-4 shrink-0 text-rose-400" role="img" aria-hidden={false} aria-label="Muted" /> : null}
        <span className="min-w-0 truncate text-sm font-medium text-white">{name}</span>
        {speaking ? (
          <span className="ml-auto flex h-3 shrink-0 items-end gap-0.5" role="img" aria-label="Speaking">
            <span className="h-2 w-0.5 animate-pulse rounded-full bg-emerald-400" />
            <span className="h-3 w-0.5 animate-pulse rounded-full bg-emerald-400 [animation-delay:150ms]" />
            <span className="h-1.5 w-0.5 animate-pulse rounded-full bg-emerald-400 [animation-delay:300ms]" />
          </span>
        ) : null}
        {footer}
      </div>
    </div>
  );
}

export function Avatar({ name }: { name: string }) {
  return (
    <div className="absolute inset-0 flex items-center justify-center bg-gradient-to-br from-neutral-800 to-neutral-900">
      <span className="flex size-14 items-center justify-center rounded-full bg-neutral-700 text-xl font-semibold text-white sm:size-16 sm:text-2xl">
        {initial(name)}
      </span>
    </div>
  );
}

export function ParticipantTile({ participant, onAir }: { participant: Participant; onAir: boolean }) {
  const cam = participant.getTrackPublication(Track.Source.Camera);
  const mic = participant.getTrackPublication(Track.Source.Microphone);
  const shown = cam && cam.isSubscribed !== false && cam.videoTrack ? cam : undefined;
  const camOff = !shown || shown.isMuted;
  const name = participant.name || participant.identity;
  return (
    <TileFrame
      data-testid="participant-tile"
      data-identity={participant.identity}
      data-name={name}
      data-speaking={participant.isSpeaking ? "true" : "false"}
      name={name}
      speaking={participant.isSpeaking}
      onAir={onAir}
      micMuted={!mic || mic.isMuted}
    >
      {shown ? (
        <VideoTrack
          trackRef={{ participant, publication: shown, source: Track.Source.Camera }}
          playsInline
          disablePictureInPicture
          className="absolute inset-0 h-full w-full object-cover"
        />
      ) : null}
      {camOff ? <Avatar name={name} /> : null}
    </TileFrame>
  );
}
