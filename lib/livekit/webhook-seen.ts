import "server-only";

import { ParticipantInfo_Kind } from "@livekit/protocol";
import type { WebhookEvent } from "livekit-server-sdk";
import { ATTR_WEBHOOK_SEEN } from "@/lib/webhook-seen";
import { roomService } from "./server";

/**
 * Stamp a joined participant with the time its participant_joined webhook arrived
 * (see lib/webhook-seen.ts). Hidden participants, agents and egress are left alone.
 * Best effort: a participant who left meanwhile is not an error.
 */
export async function stampWebhookSeen(event: WebhookEvent, now = Date.now()): Promise<void> {
  if (event.event !== "participant_joined" || !event.room || !event.participant) return;
  const p = event.participant;
  if (p.permission?.hidden || p.kind === ParticipantInfo_Kind.AGENT || p.kind === ParticipantInfo_Kind.EGRESS) return;
  try {
    await roomService().updateParticipant(event.room.name, p.identity, { attributes: { [ATTR_WEBHOOK_SEEN]: String(now) } });
  } catch (err) {
    console.warn("webhook: could not stamp", p.identity, err instanceof Error ? err.message : String(err));
  }
}
