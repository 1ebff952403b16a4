/**
 * HTTP from a chosen loopback address (127.0.0.x): on Linux every 127/8 address is
 * the loopback interface, so each test can be its own client to the app's rate limits
 * without any header the app should not believe. Responses are checked for secrets
 * like every fetch (tests/helpers/no-secrets-setup.ts).
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { expect } from "vitest";
import { leakedIn } from "./secrets";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => Record<string, unknown>;
}

export function rawRequest(
  url: string,
  {
    method = "GET",
    headers = {},
    body,
    from,
    timeoutMs = 15_000,
  }: { method?: string; headers?: Record<string, string>; body?: string | Buffer; from?: string; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const u = new URL(url);
  const send = u.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method,
        headers: { ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}), ...headers },
        ...(from ? { localAddress: from } : {}),
        rejectUnauthorized: false,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const streaming = String(res.headers["content-type"] ?? "").includes("text/event-stream");
        if (streaming) {
          // A live feed never ends: its status and headers are what is checked.
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, headers: res.headers, text: "", json: () => ({}) });
        }
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          expect(leakedIn(text), `secret in ${method} ${url}`).toEqual([]);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
