"use client";
/**
 * LiveKit's Room is a mutable object that announces changes with events. Components
 * read it during render and call this hook to re-render when any of `events` fires.
 */
import { useEffect, useReducer } from "react";
import { RoomEvent, type Room } from "livekit-client";

/** The events that change what the participant grid and program views show. */
export const ROOM_VIEW_EVENTS: readonly RoomEvent[] = [
  RoomEvent.Connected,
  RoomEvent.Reconnected,
  RoomEvent.ParticipantConnected,
  RoomEvent.ParticipantDisconnected,
  RoomEvent.ParticipantNameChanged,
  RoomEvent.TrackPublished,
  RoomEvent.TrackUnpublished,
  RoomEvent.TrackSubscribed,
  RoomEvent.TrackUnsubscribed,
  RoomEvent.TrackMuted,
  RoomEvent.TrackUnmuted,
  RoomEvent.LocalTrackPublished,
  RoomEvent.LocalTrackUnpublished,
  RoomEvent.ActiveSpeakersChanged,
  RoomEvent.RoomMetadataChanged,
  RoomEvent.AudioPlaybackStatusChanged,
];

export function useRoomTick(room: Room | null, events: readonly RoomEvent[] = ROOM_VIEW_EVENTS): number {
  const [tick, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!room) return;
    const handler = () => bump();
    for (const e of events) room.on(e, handler);
    return () => {
      for (const e of events) room.off(e, handler);
    };
  }, [room, events]);
  return tick;
}
