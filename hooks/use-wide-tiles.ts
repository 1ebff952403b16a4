"use client";
/**
 * The wide shot's cameras: every person in the channel (isPerson) except those an admin
 * set to `never` (an interpreter, a room microphone: they are kept off program, the grid
 * included), in join order so tiles don't jump when someone joins. Kept current on a
 * speaker shot too, so a grid that is leaving still shows who is there. Follows the
 * room's metadata (program and roles) and LiveKit's participant and track events.
 */
import { useParticipants, useRoomInfo, useTracks } from "@livekit/components-react";
import { Track, type Participant, type Room, type VideoTrack } from "livekit-client";
import { isPerson, parseRoles, roleOf, type ProgramState } from "@/lib/room-state";
import { MAX_WIDE_TILES } from "@/components/program/grid-shape";

export interface WideTile {
  identity: string;
  name: string;
  /** The live camera, or null (no camera, or it is off): the tile shows the initial. */
  track: VideoTrack | null;
  trackSid: string | null;
  isLocal: boolean;
}

/**
 * `includeLocal`: the participants' own program view shows their own camera in the grid
 * too, as the channel's cameras include it; /viewer and /egress are hidden and have none.
 */
export function useWideTiles(room: Room, program: ProgramState | null, { includeLocal = false } = {}): WideTile[] {
  const { metadata } = useRoomInfo({ room });
  // These re-render on joins, leaves and camera subscribe, mute and unpublish; the list
  // itself is read from the room, which is current from the first render (the hooks'
  // own state may start empty, and a screen must not take that for an empty channel).
  useParticipants({ room });
  useTracks([Track.Source.Camera], { room, onlySubscribed: false });

  const roles = parseRoles(metadata ?? null);
  const participants: Participant[] = [...(includeLocal ? [room.localParticipant] : []), ...room.remoteParticipants.values()];
  const people = participants
    .filter((p) => isPerson(p) && roleOf(roles, p.identity) !== "never")
    .sort((a, b) => joinedAt(a) - joinedAt(b));
  // More people than tiles: keep the last speaker in, then the earliest joiners.
  const last = people.find((p) => p.identity === program?.program);
  const shown = last && people.indexOf(last) >= MAX_WIDE_TILES ? [...people.slice(0, MAX_WIDE_TILES - 1), last] : people.slice(0, MAX_WIDE_TILES);
  return shown.map((p) => {
    const pub = p.getTrackPublication(Track.Source.Camera);
    const track = pub && !pub.isMuted && pub.videoTrack ? pub.videoTrack : null;
    return {
      identity: p.identity,
      name: p.name || p.identity,
      track,
      trackSid: track ? (pub?.trackSid ?? track.sid ?? null) : null,
      isLocal: p === room.localParticipant,
    };
  });
}

function joinedAt(p: Participant): number {
  return p.joinedAt?.getTime() ?? 0;
}
