import { NextResponse, type NextRequest } from "next/server";
import { requireAdmin } from "@/lib/admin-auth";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { buildDebug } from "@/lib/debug";

export const dynamic = "force-dynamic";

/**
 * The director's state as JSON: switch config, the last 10 s of levels per
 * participant, the last 100 decisions, director health and LiveKit's. Requires the
 * admin password when ADMIN_PASSWORD is set.
 */
export const GET = handle(async (req: NextRequest) => {
  requireAdmin(req);
  const body = await buildDebug();
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
