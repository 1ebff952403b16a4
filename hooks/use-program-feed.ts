"use client";
/**
 * Resolve the director's program identity to something a screen can draw: the
 * participant's name and their camera track (null while they have no live camera).
 */
import { Track, type Room, type VideoTrack } from "livekit-client";
import type { ProgramState } from "@/lib/program";

export interface ProgramFeed {
  identity: string;
  name: string;
  track: VideoTrack | null;
  trackSid: string | null;
  isLocal: boolean;
  /** an admin pinned this participant to the program (from /friends) */
  pinned: boolean;
}

/** Call during render after useRoomTick(room), so it re-runs when tracks change. */
export function programFeed(room: Room | null, program: ProgramState | null): ProgramFeed | null {
  if (!program?.program) return null;
  const identity = program.program;
  const local = room?.localParticipant;
  const participant = local?.identity === identity ? local : room?.remoteParticipants.get(identity);
  const pub = participant?.getTrackPublication(Track.Source.Camera);
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
