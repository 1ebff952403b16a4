import { NextResponse, type NextRequest } from "next/server";
import { ApiError, handle, methodNotAllowed, parseJson, readBodyLimited } from "@/lib/api-error";
import { env } from "@/lib/env";
import { IDENTITY_COOKIE, IDENTITY_COOKIE_MAX_AGE, identityFor, newBrowserId, validBrowserId } from "@/lib/identity";
import { mintToken } from "@/lib/livekit/server";
import { publicLivekitUrl } from "@/lib/public-url";
import { fieldErrors, roomForChannel, tokenRequestSchema, type TokenResponse } from "@/lib/schemas";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 10 * 1024;

export const POST = handle(async (req: NextRequest) => {
  const text = await readBodyLimited(req, MAX_BODY_BYTES);
  const parsed = tokenRequestSchema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new ApiError("bad_request", "invalid token request", fieldErrors(parsed.error));
  }
  const { name, channel, role } = parsed.data;
  const e = env();

  const existing = validBrowserId(req.cookies.get(IDENTITY_COOKIE)?.value);
  const browserId = existing ?? newBrowserId();
  const room = roomForChannel(channel);
  const identity = identityFor(role, browserId);
  const token = await mintToken({ role, room, identity, name });

  const protocol = (req.headers.get("x-forwarded-proto") ?? req.nextUrl.protocol.replace(":", "")).split(",")[0]!.trim();
  const body: TokenResponse = {
    serverUrl: publicLivekitUrl({
      override: e.LIVEKIT_PUBLIC_URL,
      internalUrl: e.LIVEKIT_URL,
      host: req.headers.get("x-forwarded-host") ?? req.headers.get("host"),
      protocol,
    }),
    room,
    identity,
    name,
    token,
  };
  const res = NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
  if (!existing) {
    res.cookies.set(IDENTITY_COOKIE, browserId, {
      httpOnly: true,
      sameSite: "lax",
      secure: protocol === "https",
      path: "/",
      maxAge: IDENTITY_COOKIE_MAX_AGE,
    });
  }
  return res;
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
