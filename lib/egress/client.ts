/** The browser side of the egress admin API: typed results, never a parse crash. */
import { readAnswer } from "@/lib/client/answer";
import type {
  ActiveEgress,
  EgressListResponse,
  StartEgressRequest,
  StartEgressResponse,
  StopEgressResponse,
} from "@/lib/egress/schema";

export class EgressApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "EgressApiError";
  }
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, cache: "no-store", credentials: "same-origin" });
  } catch (err) {
    throw new EgressApiError(err instanceof Error ? err.message : "network error", 0, null);
  }
  const { body, error, code } = await readAnswer(res);
  if (!res.ok) throw new EgressApiError(error ?? `the server answered ${res.status}`, res.status, code);
  if (typeof body !== "object" || body === null) throw new EgressApiError("the server sent an unexpected answer", res.status, null);
  return body as T;
}

const JSON_HEADERS = { "Content-Type": "application/json" };

export async function listEgresses(signal?: AbortSignal): Promise<ActiveEgress[]> {
  return (await call<EgressListResponse>("/api/admin/egress", { method: "GET", signal })).egresses;
}

export async function startEgress(req: StartEgressRequest): Promise<ActiveEgress> {
  return (await call<StartEgressResponse>("/api/admin/egress", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(req) })).egress;
}

export async function stopChannelEgress(channel: number): Promise<ActiveEgress[]> {
  return (await call<StopEgressResponse>("/api/admin/egress/stop", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ channel }) })).stopped;
}
