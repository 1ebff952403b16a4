import { NextResponse, type NextRequest } from "next/server";
import { requireAdminPost } from "@/lib/admin-auth";
import { removeParticipant } from "@/lib/admin/actions";
import { readJsonBody } from "@/lib/admin/body";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { adminTargetSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";

/** Remove a participant from their channel. The dashboard asks for a confirm first. */
export const POST = handle(async (req: NextRequest) => {
  requireAdminPost(req);
  const { channel, identity } = await readJsonBody(req, adminTargetSchema, "remove");
  await removeParticipant(channel, identity);
  return NextResponse.json({ ok: true, channel, identity }, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
