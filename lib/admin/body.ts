import "server-only";

import { NextResponse } from "next/server";
import type { z } from "zod";
import { requireAdminPost } from "@/lib/admin/auth";
import { ApiError, handle, parseJson, readBodyLimited } from "@/lib/api-error";
import { fieldErrors } from "@/lib/schemas";

/** Read a small JSON body and validate it; 400 with field errors when it does not fit. */
export async function readJsonBody<S extends z.ZodType>(req: Request, schema: S, what: string): Promise<z.output<S>> {
  const parsed = schema.safeParse(parseJson(await readBodyLimited(req, 2048)));
  if (!parsed.success) throw new ApiError("bad_request", `invalid ${what} request`, fieldErrors(parsed.error));
  return parsed.data;
}

/**
 * An admin action's route handler: POST only, a session or Bearer token with the
 * same-origin checks (requireAdminPost), the JSON body validated by `schema` (400 with
 * field errors), then `act`; answers `{ ok: true, ...what act returns }`, never cached.
 * Route files re-export the other methods from lib/routes/post-only.ts.
 */
export function adminAction<S extends z.ZodType>(schema: S, what: string, act: (body: z.output<S>) => Promise<Record<string, unknown>>) {
  return handle(async (req: Request) => {
    requireAdminPost(req);
    const result = await act(await readJsonBody(req, schema, what));
    return NextResponse.json({ ok: true, ...result }, { headers: { "Cache-Control": "no-store" } });
  });
}
