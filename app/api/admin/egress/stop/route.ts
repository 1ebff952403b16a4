import { NextResponse, type NextRequest } from "next/server";
import { requireAdminPost } from "@/lib/admin/auth";
import { ApiError, handle, parseJson, readBodyLimited } from "@/lib/api-error";
import { stopEgressRequestSchema, type StopEgressResponse } from "@/lib/egress/schema";
import { listActiveEgresses, stopEgress } from "@/lib/egress/service";
import { fieldErrors } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";

const MAX_BODY_BYTES = 1024;

/** Stop one egress (`{ egressId }`) or every active one of a channel (`{ channel }`). */
export const POST = handle(async (req: NextRequest) => {
  requireAdminPost(req);
  const parsed = stopEgressRequestSchema.safeParse(parseJson(await readBodyLimited(req, MAX_BODY_BYTES)));
  if (!parsed.success) throw new ApiError("bad_request", "invalid stop request", fieldErrors(parsed.error));
  let ids: string[];
  if ("egressId" in parsed.data) {
    ids = [parsed.data.egressId];
  } else {
    ids = (await listActiveEgresses(parsed.data.channel)).map((e) => e.egressId);
    if (ids.length === 0) throw new ApiError("not_found", `channel ${parsed.data.channel} is not being recorded or streamed`);
  }
  const body: StopEgressResponse = { stopped: await Promise.all(ids.map(stopEgress)) };
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
});
