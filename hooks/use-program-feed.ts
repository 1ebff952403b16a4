"use client";
/**
 * Resolve the director's program identity to something a screen can draw: the
 * participant's name and their camera track (null while they have no live camera).
 */
import { useTracks } from "@livekit/components-react";
import { Track, type Room, type VideoTrack } from "livekit-client";
import type { ProgramState } from "@/lib/room-state";

export interface ProgramFeed {
  identity: string;
  name: string;
  track: VideoTrack | null;
  trackSid: string | null;
  isLocal: boolean;
  /** an admin pinned this participant to the program (from /friends) */
  pinned: boolean;
}

/**
 * Every camera in `room`, subscribed or not, kept current by LiveKit's participant and
 * track events; the program's one becomes the feed.
 */
export function useProgramFeed(room: Room, program: ProgramState | null): ProgramFeed | null {
  const cameras = useTracks([Track.Source.Camera], { room, onlySubscribed: false });
  if (!program?.program) return null;
  const identity = program.program;
  const ref = cameras.find((t) => t.participant.identity === identity);
  const local = room.localParticipant;
  const participant = ref?.participant ?? (local.identity === identity ? local : room.remoteParticipants.get(identity));
  const pub = ref?.publication;
  const track = pub && !pub.isMuted && pub.videoTrack ? pub.videoTrack : null;
  return {
    identity,
    name: program.name || participant?.name || identity,
    track,
    trackSid: track ? (pub?.trackSid ?? track.sid ?? null) : null,
    isLocal: participant !== undefined && participant === local,
    pinned: program.pinned === identity,
  };
}
