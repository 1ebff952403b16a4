"use client";
/**
 * The director's decision, read from the room's metadata (lib/program.ts). Every
 * screen follows this and nothing else: no client-side speaker sorting.
 */
import { useCallback, useMemo, useSyncExternalStore } from "react";
import { RoomEvent, type Room } from "livekit-client";
import { parseProgram, type ProgramState } from "@/lib/program";

export function useProgram(room: Room | null): ProgramState | null {
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!room) return () => {};
      room.on(RoomEvent.RoomMetadataChanged, notify);
      room.on(RoomEvent.Connected, notify);
      room.on(RoomEvent.Reconnected, notify);
      return () => {
        room.off(RoomEvent.RoomMetadataChanged, notify);
        room.off(RoomEvent.Connected, notify);
        room.off(RoomEvent.Reconnected, notify);
      };
    },
    [room],
  );
  // The raw string is the snapshot: it is stable between changes, so React can compare it.
  const metadata = useSyncExternalStore(
    subscribe,
    () => room?.metadata ?? null,
    () => null,
  );
  return useMemo(() => parseProgram(metadata), [metadata]);
}
