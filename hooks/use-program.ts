"use client";
/**
 * The director's decision, read from the room's metadata (lib/room-state.ts). Every
 * screen follows this and nothing else: no client-side speaker sorting.
 */
import { useMemo } from "react";
import { useRoomInfo } from "@livekit/components-react";
import type { Room } from "livekit-client";
import { parseProgram, type ProgramState } from "@/lib/room-state";

/** `room`, or the RoomContext's; re-renders when the metadata or the connection changes. */
export function useProgram(room?: Room): ProgramState | null {
  const { metadata } = useRoomInfo({ room });
  return useMemo(() => parseProgram(metadata ?? null), [metadata]);
}
