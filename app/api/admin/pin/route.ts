import { NextResponse, type NextRequest } from "next/server";
import { requireAdminPost } from "@/lib/admin-auth";
import { pin } from "@/lib/admin/actions";
import { readJsonBody } from "@/lib/admin/body";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { pinRequestSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";

/** Pin a participant to the program (`identity: null` unpins). The director obeys until unpinned. */
export const POST = handle(async (req: NextRequest) => {
  requireAdminPost(req);
  const { channel, identity } = await readJsonBody(req, pinRequestSchema, "pin");
  const { at } = await pin(channel, identity);
  return NextResponse.json({ ok: true, channel, pinned: identity, at }, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
