import { NextResponse, type NextRequest } from "next/server";
import { adminSessionKey, checkPassword, requireSameOrigin } from "@/lib/admin/auth";
import { createSession, SESSION_COOKIE } from "@/lib/admin/session";
import { ApiError, handle, methodNotAllowed, parseJson, readBodyLimited } from "@/lib/api-error";
import { fieldErrors, loginRequestSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";

/**
 * Sign in: the admin password for a signed, httpOnly, SameSite=Strict session cookie.
 * Five wrong passwords from one client within a minute get 429 with Retry-After.
 */
export const POST = handle(async (req: NextRequest) => {
  // Login CSRF: a browser's sign-in must come from our own page.
  requireSameOrigin(req, "password");
  const parsed = loginRequestSchema.safeParse(parseJson(await readBodyLimited(req, 2048)));
  if (!parsed.success) throw new ApiError("bad_request", "invalid sign-in request", fieldErrors(parsed.error));
  const key = adminSessionKey();
  if (!key) throw new ApiError("conflict", "no ADMIN_PASSWORD is set: the admin pages are open on this machine");
  if (!checkPassword(req.headers, parsed.data.password)) throw new ApiError("unauthorized", "wrong admin password");
  const session = createSession(key);
  const res = NextResponse.json({ ok: true, expiresAt: session.expiresAt }, { headers: { "Cache-Control": "no-store" } });
  const protocol = (req.headers.get("x-forwarded-proto") ?? req.nextUrl.protocol.replace(":", "")).split(",")[0]!.trim();
  res.cookies.set(SESSION_COOKIE, session.value, {
    httpOnly: true,
    sameSite: "strict",
    secure: protocol === "https",
    path: "/",
    expires: new Date(session.expiresAt),
  });
  return res;
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
