import { NextResponse } from "next/server";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { buildStatus } from "@/lib/status";

export const dynamic = "force-dynamic";

export const GET = handle(async () => {
  const body = await buildStatus();
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
