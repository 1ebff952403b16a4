import { NextResponse, type NextRequest } from "next/server";
import { requireAdmin } from "@/lib/admin/auth";
import { handle } from "@/lib/api-error";
import { listRecordings, type RecordingsResponse } from "@/lib/egress/recordings";

export const dynamic = "force-dynamic";
export { POST, PUT, PATCH, DELETE } from "@/lib/routes/get-only";

/** The files Egress wrote under recordings/ (`npm start -- --record`), with durations. */
export const GET = handle(async (req: NextRequest) => {
  requireAdmin(req);
  const body: RecordingsResponse = { recordings: await listRecordings() };
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
});
