import { after, NextResponse, type NextRequest } from "next/server";
import { WebhookReceiver } from "livekit-server-sdk";
import { ApiError, handle, methodNotAllowed, readBodyLimited } from "@/lib/api-error";
import { env } from "@/lib/env";
import { stampWebhookSeen } from "@/lib/livekit/webhook-seen";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 256 * 1024;

/**
 * LiveKit's webhook. The signature covers the raw body, so it is verified on the
 * bytes as received (never on re-serialised JSON); a bad or missing one gets 401.
 */
export const POST = handle(async (req: NextRequest) => {
  const raw = await readBodyLimited(req, MAX_BODY_BYTES);
  const e = env();
  const receiver = new WebhookReceiver(e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET);
  let event;
  try {
    event = await receiver.receive(raw, req.headers.get("authorization") ?? undefined);
  } catch {
    throw new ApiError("unauthorized", "invalid webhook signature");
  }
  // After the response, so LiveKit's webhook call is answered at once: the stamp
  // that makes the round trip observable (`npm run doctor`).
  after(() => stampWebhookSeen(event));
  return NextResponse.json({ ok: true, event: event.event }, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
