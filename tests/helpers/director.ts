/**
 * Wait until a room's director is running (its heartbeat attribute is fresh), so a
 * test's bot speaks to someone who listens. Under load a director's job process can
 * take seconds to start; speech played before that is never decided on.
 */
import { RoomServiceClient } from "livekit-server-sdk";
import { ATTR_HEARTBEAT, isDirectorIdentity } from "@/lib/room-state";
import { until } from "./stack-env";
import type { Keys } from "./tokens";

export async function waitForDirector(livekitUrl: string, keys: Keys, room: string, timeoutMs = 45_000): Promise<string> {
  const api = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);
  return until(
    async () => {
      const ps = await api.listParticipants(room);
      const d = ps.find((p) => isDirectorIdentity(p.identity) && Date.now() - Number(p.attributes[ATTR_HEARTBEAT] ?? 0) < 3000);
      return d?.identity ?? null;
    },
    `a running director in ${room}`,
    timeoutMs,
  );
}
