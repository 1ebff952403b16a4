import "server-only";

import type { z } from "zod";
import { ApiError, parseJson, readBodyLimited } from "@/lib/api-error";
import { fieldErrors } from "@/lib/schemas";

/** Read a small JSON body and validate it; 400 with field errors when it does not fit. */
export async function readJsonBody<S extends z.ZodType>(req: Request, schema: S, what: string): Promise<z.output<S>> {
  const parsed = schema.safeParse(parseJson(await readBodyLimited(req, 2048)));
  if (!parsed.success) throw new ApiError("bad_request", `invalid ${what} request`, fieldErrors(parsed.error));
  return parsed.data;
}
