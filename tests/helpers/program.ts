/** Resolves when the director's program in a connected room becomes `identity`. */
import { RoomEvent, type Room } from "@livekit/rtc-node";
import { parseProgram } from "@/lib/program";

export function programWatcher(watcher: Room): (identity: string) => Promise<void> {
  const program = () => parseProgram(watcher.metadata)?.program ?? null;
  return (identity) =>
    new Promise<void>((resolve) => {
      if (program() === identity) return resolve();
      const onChange = () => {
        if (program() === identity) {
          watcher.off(RoomEvent.RoomMetadataChanged, onChange);
          resolve();
        }
      };
      watcher.on(RoomEvent.RoomMetadataChanged, onChange);
    });
}
