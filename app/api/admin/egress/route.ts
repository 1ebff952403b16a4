import { NextResponse, type NextRequest } from "next/server";
import { requireAdmin, requireAdminPost } from "@/lib/admin/auth";
import { ApiError, handle, methodNotAllowed, parseJson, readBodyLimited } from "@/lib/api-error";
import { startEgressRequestSchema, type EgressListResponse, type StartEgressResponse } from "@/lib/egress/schema";
import { listActiveEgresses, startProgramEgress } from "@/lib/egress/service";
import { fieldErrors } from "@/lib/schemas";

export const dynamic = "force-dynamic";
// A start waits up to 10 s for an Egress worker to accept (lib/egress/service.ts).
export const maxDuration = 30;

const MAX_BODY_BYTES = 8 * 1024;
const NO_STORE = { "Cache-Control": "no-store" };

/** Active egresses of every channel: what /friends shows as recording indicators. */
export const GET = handle(async (req: NextRequest) => {
  requireAdmin(req);
  const body: EgressListResponse = { egresses: await listActiveEgresses() };
  return NextResponse.json(body, { headers: NO_STORE });
});

/** Start recording or streaming a channel's program through LiveKit Egress and our layout. */
export const POST = handle(async (req: NextRequest) => {
  requireAdminPost(req);
  const parsed = startEgressRequestSchema.safeParse(parseJson(await readBodyLimited(req, MAX_BODY_BYTES)));
  if (!parsed.success) throw new ApiError("bad_request", "invalid egress request", fieldErrors(parsed.error));
  const egress = await startProgramEgress(parsed.data);
  const body: StartEgressResponse = { egress };
  return NextResponse.json(body, { status: 201, headers: NO_STORE });
});

const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
