import { NextResponse, type NextRequest } from "next/server";
import { requireAdminPost } from "@/lib/admin-auth";
import { muteMic } from "@/lib/admin/actions";
import { readJsonBody } from "@/lib/admin/body";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { adminTargetSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";

/** Mute a participant's microphone (LiveKit's mutePublishedTrack). They can unmute themselves. */
export const POST = handle(async (req: NextRequest) => {
  requireAdminPost(req);
  const { channel, identity } = await readJsonBody(req, adminTargetSchema, "mute");
  const { trackSid } = await muteMic(channel, identity);
  return NextResponse.json({ ok: true, channel, identity, trackSid }, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
