import { NextResponse, type NextRequest } from "next/server";
import { requireSameOrigin } from "@/lib/admin/auth";
import { SESSION_COOKIE } from "@/lib/admin/session";
import { handle, methodNotAllowed } from "@/lib/api-error";

export const dynamic = "force-dynamic";

/** Sign out: clears the session cookie. POST only and same-origin, so no page can sign an admin out. */
export const POST = handle(async (req: NextRequest) => {
  requireSameOrigin(req, "session");
  const res = NextResponse.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  res.cookies.set(SESSION_COOKIE, "", { httpOnly: true, sameSite: "strict", path: "/", maxAge: 0 });
  return res;
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
