import { NextResponse, type NextRequest } from "next/server";
import { ApiError, handle, parseJson, readBodyLimited } from "@/lib/api-error";
import { env } from "@/lib/env";
import {
  browserCookie,
  IDENTITY_COOKIE,
  IDENTITY_COOKIE_MAX_AGE,
  identityFor,
  identityKey,
  newBrowserId,
  publicIdOf,
  verifyBrowserCookie,
} from "@/lib/identity";
import { mintToken } from "@/lib/livekit/server";
import { requestClient } from "@/lib/net/request-client";
import { publicLivekitUrl } from "@/lib/public-url";
import { fieldErrors, roomForChannel, tokenRequestSchema, type TokenResponse } from "@/lib/schemas";
import { checkBan, checkCapacity, checkJoinCode, limitAddress, limitBrowser, livekitRoomLimit } from "@/lib/token-guard";

export const dynamic = "force-dynamic";
export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";

const MAX_BODY_BYTES = 10 * 1024;

let key: Buffer | undefined;

export const POST = handle(async (req: NextRequest) => {
  // Every request counts against its address first, even a malformed one, so
  // guessing join codes or hammering with junk costs the same as asking for tokens.
  limitAddress(requestClient(req.headers));
  const text = await readBodyLimited(req, MAX_BODY_BYTES);
  const parsed = tokenRequestSchema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new ApiError("bad_request", "invalid token request", fieldErrors(parsed.error));
  }
  const { name, channel, role, code } = parsed.data;
  const e = env();
  checkJoinCode(code);

  key ??= identityKey(e.LIVEKIT_API_SECRET);
  const existing = verifyBrowserCookie(key, req.cookies.get(IDENTITY_COOKIE)?.value);
  const browserId = existing ?? newBrowserId();
  const publicId = publicIdOf(key, browserId);
  if (existing) limitBrowser(publicId);
  checkBan(publicId);

  const room = roomForChannel(channel);
  const identity = identityFor(role, publicId);
  await checkCapacity(room, role, identity);
  const token = await mintToken({ role, room, identity, name, maxParticipants: livekitRoomLimit() });

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
    res.cookies.set(IDENTITY_COOKIE, browserCookie(key, browserId), {
      httpOnly: true,
      sameSite: "lax",
      secure: protocol === "https",
      path: "/",
      maxAge: IDENTITY_COOKIE_MAX_AGE,
    });
  }
  return res;
});
