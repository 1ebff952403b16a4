import { NextResponse } from "next/server";
import { handle } from "@/lib/api-error";
import { buildStatus } from "@/lib/status";

export const dynamic = "force-dynamic";
export { POST, PUT, PATCH, DELETE } from "@/lib/routes/get-only";

export const GET = handle(async () => {
  const body = await buildStatus();
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
});
