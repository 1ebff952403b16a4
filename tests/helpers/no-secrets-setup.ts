/**
 * Integration setup: every response any test fetches is checked for the API secret
 * and the admin password. Streams (server-sent events) are checked chunk by chunk as
 * the test reads them. A leak fails the file that caused it.
 */
import { afterAll, expect } from "vitest";
import { leakedIn } from "./secrets";

const leaks: string[] = [];
const realFetch = globalThis.fetch;

function checkStream(body: ReadableStream<Uint8Array>, url: string): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let tail = "";
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const text = tail + decoder.decode(chunk, { stream: true });
        for (const name of leakedIn(text)) leaks.push(`${name} in a stream from ${url}`);
        tail = text.slice(-256);
        controller.enqueue(chunk);
      },
    }),
  );
}

globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const res = await realFetch(input, init);
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!res.body) return res;
  if ((res.headers.get("content-type") ?? "").includes("text/event-stream")) {
    return new Response(checkStream(res.body, url), { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  const text = await res.clone().text();
  for (const name of leakedIn(text)) leaks.push(`${name} in ${res.status} from ${url}`);
  return res;
};

afterAll(() => {
  expect(leaks, "responses must never contain the API secret or the admin password").toEqual([]);
});
