import { NextResponse, type NextRequest } from "next/server";
import { requireAdmin } from "@/lib/admin/auth";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { readFriendsState } from "@/lib/friends/poller";

export const dynamic = "force-dynamic";

/** One read of what /friends shows, as JSON (for scripts and tests; the page streams). */
export const GET = handle(async (req: NextRequest) => {
  requireAdmin(req);
  return NextResponse.json(await readFriendsState(), { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
