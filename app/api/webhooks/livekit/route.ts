import { after, NextResponse, type NextRequest } from "next/server";
import { WebhookReceiver } from "livekit-server-sdk";
import { z } from "zod";
import { forwardActivityWhenDirected } from "@/lib/admin/actions";
import { ApiError, handle, methodNotAllowed, readBodyLimited } from "@/lib/api-error";
import type { Activity } from "@/lib/room-state";
import { env } from "@/lib/env";
import { stampWebhookSeen } from "@/lib/webhook/stamp";
import { channelOfRoom } from "@/lib/schemas";
import { eventKey, SeenEvents, tokenExpiryMs } from "@/lib/webhook/replay";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 256 * 1024;

const seen = new SeenEvents();

/** The parts of LiveKit's webhook JSON the activity log uses (protojson: enums as names, int64 as strings). */
const webhookSchema = z
  .object({
    event: z.string(),
    createdAt: z.coerce.number().optional(),
    room: z.object({ name: z.string() }).loose().optional(),
    participant: z.object({ identity: z.string(), name: z.string().optional() }).loose().optional(),
    track: z.object({ source: z.union([z.string(), z.number()]).optional() }).loose().optional(),
  })
  .loose();

const LOGGED = new Set(["room_started", "participant_joined", "participant_left", "track_published", "track_unpublished"]);

function trackName(source: string | number | undefined): string | null {
  const names: Record<string, string> = { "1": "camera", "2": "microphone", "3": "screen share", "4": "screen share audio" };
  if (source === undefined) return null;
  const s = String(source);
  return names[s] ?? s.toLowerCase().replace(/_/g, " ");
}

/**
 * LiveKit's webhook. The signature covers the raw body, so it is verified on the
 * bytes as received (never on re-serialised JSON); a bad or missing one gets 401 and
 * changes nothing. Verified events go to the room's director, which keeps the
 * activity log /friends shows (the app itself stays stateless). A room's first events
 * wait (up to 10 s) for the director LiveKit dispatches to it; a room's finish has no
 * director left to tell, and /friends sees the channel close from its live feed.
 */
export const POST = handle(async (req: NextRequest) => {
  const raw = await readBodyLimited(req, MAX_BODY_BYTES);
  const e = env();
  const receiver = new WebhookReceiver(e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET);
  const authorization = req.headers.get("authorization");
  let event;
  try {
    event = await receiver.receive(raw, authorization ?? undefined);
  } catch {
    throw new ApiError("unauthorized", "invalid webhook signature");
  }
  // A replay of a call we already took (its signature is still valid): acknowledge it
  // so a retrying LiveKit stops, and do nothing.
  if (!seen.firstSighting(eventKey(event.id, raw), tokenExpiryMs(authorization))) {
    return NextResponse.json({ ok: true, event: event.event, logged: "replay" }, { headers: { "Cache-Control": "no-store" } });
  }
  // After the response, so LiveKit's webhook call is answered at once: the stamp
  // that makes the round trip observable (`npm run doctor`).
  after(() => stampWebhookSeen(event));
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ApiError("bad_request", "unexpected webhook payload");
  }
  const parsed = webhookSchema.safeParse(json);
  if (!parsed.success) throw new ApiError("bad_request", "unexpected webhook payload");
  const ev = parsed.data;
  const room = ev.room?.name;
  let logged: "queued" | "ignored" = "ignored";
  if (room && channelOfRoom(room) !== null && LOGGED.has(ev.event)) {
    const who = ev.participant;
    // Viewers and the director are hidden; their comings and goings are noise here.
    const visible = !who || who.identity.startsWith("p_");
    if (visible) {
      const activity: Activity = {
        at: ev.createdAt ? ev.createdAt * 1000 : Date.now(),
        kind: ev.event as Activity["kind"],
        identity: who?.identity ?? null,
        name: who?.name ?? null,
        detail: ev.event.startsWith("track_") ? trackName(ev.track?.source) : null,
      };
      // After the response: LiveKit's webhook queue is not held up, and the first
      // join of a new room can wait for its director to arrive.
      after(() => forwardActivityWhenDirected(room, activity));
      logged = "queued";
    }
  }
  return NextResponse.json({ ok: true, event: ev.event, logged }, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
