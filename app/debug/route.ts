import { NextResponse, type NextRequest } from "next/server";
import { requireAdmin } from "@/lib/admin/auth";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { buildDebug } from "@/lib/debug";

export const dynamic = "force-dynamic";

/**
 * The director's state as JSON: switch config, the last 10 s of levels per
 * participant, the last 100 decisions, director health and LiveKit's. Requires the
 * admin password when ADMIN_PASSWORD is set.
 *
 * A browser (Accept: text/html) is sent to the drawn view, /debug/view, which checks
 * the admin itself. A relative redirect, not a middleware rewrite: a rewrite's URL
 * takes its origin from X-Forwarded-Proto/-Host, which a client chooses, and a
 * foreign origin turns the rewrite into a proxied request (a 500, found by the fuzz
 * suite, or a fetch of any host the client names).
 */
export const GET = handle(async (req: NextRequest) => {
  if (/\btext\/html\b/.test(req.headers.get("accept") ?? "")) {
    return new Response(null, { status: 307, headers: { Location: "/debug/view", "Cache-Control": "no-store" } });
  }
  requireAdmin(req);
  const body = await buildDebug();
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
