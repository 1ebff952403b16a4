import "server-only";

import { PARTICIPANT_IDENTITY_PREFIX } from "@/lib/livekit/grants";
import { ATTR_WEBHOOK_SEEN } from "@/lib/room-state";
import { roomService } from "@/lib/livekit/server";

/** The part of a verified webhook event this needs (a WebhookEvent, or its parsed JSON). */
export interface JoinEvent {
  event: string;
  room?: { name: string } | undefined;
  participant?: { identity: string } | undefined;
}

/**
 * Stamp a joined participant with the time its participant_joined webhook arrived
 * (see lib/room-state.ts). Only participants (p_…): viewers, the director and
 * Egress are hidden and left alone. Best effort: one who left meanwhile is no error.
 */
export async function stampWebhookSeen(event: JoinEvent, now = Date.now()): Promise<void> {
  if (event.event !== "participant_joined" || !event.room || !event.participant) return;
  const { identity } = event.participant;
  if (!identity.startsWith(PARTICIPANT_IDENTITY_PREFIX)) return;
  try {
    await roomService().updateParticipant(event.room.name, identity, { attributes: { [ATTR_WEBHOOK_SEEN]: String(now) } });
  } catch (err) {
    console.warn("webhook: could not stamp", identity, err instanceof Error ? err.message : String(err));
  }
}
