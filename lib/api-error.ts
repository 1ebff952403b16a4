/**
 * One error type for every route handler. Each code maps to one HTTP status, and the
 * body is always JSON `{ error, code, details? }` — never plain text, never a 5xx for
 * bad input.
 */
import { NextResponse } from "next/server";

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  /** JOIN_CODE is set and the request has no code */
  join_code_required: 401,
  forbidden: 403,
  /** the code does not match JOIN_CODE */
  join_code_wrong: 403,
  /** an admin removed this browser less than REMOVE_BAN_MINUTES ago */
  banned: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** MAX_PARTICIPANTS_PER_CHANNEL or MAX_VIEWERS_PER_CHANNEL reached */
  channel_full: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  upstream_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function errorResponse(err: ApiError): NextResponse {
  const body: Record<string, unknown> = { error: err.message, code: err.code };
  if (err.details !== undefined) body.details = err.details;
  return NextResponse.json(body, {
    status: err.status,
    headers: { "Cache-Control": "no-store", ...err.headers },
  });
}

/**
 * Wrap a handler so that every path returns a JSON response. Unexpected errors are
 * logged without request data (which may hold secrets) and answered with a 500.
 */
export function handle<A extends unknown[]>(
  fn: (...args: A) => Promise<Response>,
): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err);
      console.error("unhandled route error:", err instanceof Error ? err.message : String(err));
      return errorResponse(new ApiError("internal", "internal error"));
    }
  };
}

/** 405 with an Allow header, for methods a route does not serve. */
export function methodNotAllowed(allow: string[]): () => Promise<Response> {
  return async () =>
    errorResponse(
      new ApiError("method_not_allowed", `method not allowed; use ${allow.join(", ")}`, undefined, {
        Allow: allow.join(", "),
      }),
    );
}

/**
 * Read a request body as text, refusing more than `limit` bytes with 413 — checked on
 * the declared length first and then while reading, so a lying header cannot pass.
 */
export async function readBodyLimited(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    throw new ApiError("payload_too_large", `request body over ${limit} bytes`, { limit });
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ApiError("payload_too_large", `request body over ${limit} bytes`, { limit });
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Parse JSON text, answering malformed JSON with a 400. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("bad_request", "malformed JSON body");
  }
}
