/** The browser side of POST /api/token: typed errors for every way it can fail. */
import type { Role, TokenResponse } from "@/lib/schemas";
import { readAnswer } from "@/lib/client/answer";
import { ServerUnreachableError, TokenRefusedError } from "@/lib/client/failures";
import { readJoinCode } from "@/lib/client/join-code";

function isTokenResponse(v: unknown): v is TokenResponse {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return ["serverUrl", "room", "identity", "name", "token"].every((k) => typeof o[k] === "string");
}

function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
}

export async function fetchToken(
  req: { name: string; channel: number; role: Role },
  signal?: AbortSignal,
): Promise<TokenResponse> {
  let res: Response;
  try {
    res = await fetch("/api/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // The join code rides along whenever this browser has one (the server ignores
      // it when the deployment has none).
      body: JSON.stringify(readJoinCode() ? { ...req, code: readJoinCode() } : req),
      cache: "no-store",
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ServerUnreachableError("app", err instanceof Error ? err.message : "network error");
  }
  const { body, error, code, fields } = await readAnswer(res);
  if (!res.ok) {
    const message = error ?? `the server answered ${res.status} ${res.statusText}`.trim();
    if (res.status === 502 || res.status === 504) throw new ServerUnreachableError("app", message);
    const details = stringRecord(fields.details);
    const retry = Number(res.headers.get("retry-after"));
    if (Number.isFinite(retry) && retry > 0) details.retryAfterS = String(retry);
    throw new TokenRefusedError(message, res.status, code ?? undefined, details);
  }
  if (!isTokenResponse(body)) {
    throw new TokenRefusedError("the server sent an unexpected answer", res.status);
  }
  return body;
}
