import { NextResponse, type NextRequest } from "next/server";
import { requireAdminPost } from "@/lib/admin-auth";
import { removeParticipant } from "@/lib/admin/actions";
import { readJsonBody } from "@/lib/admin/body";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { publicIdOfIdentity } from "@/lib/identity";
import { banBrowser } from "@/lib/token-guard";
import { removeRequestSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";

/**
 * Remove a participant or a viewer from their channel. The dashboard asks for a
 * confirm first. Their browser then gets no new token for REMOVE_BAN_MINUTES.
 */
export const POST = handle(async (req: NextRequest) => {
  requireAdminPost(req);
  const { channel, identity } = await readJsonBody(req, removeRequestSchema, "remove");
  await removeParticipant(channel, identity);
  const publicId = publicIdOfIdentity(identity);
  const until = publicId ? banBrowser(publicId) : null;
  return NextResponse.json(
    { ok: true, channel, identity, bannedUntil: until },
    { headers: { "Cache-Control": "no-store" } },
  );
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
