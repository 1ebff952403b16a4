import { describe, expect, it } from "vitest";
import { stackEnv } from "../helpers/stack-env";

const { appUrl } = stackEnv();
const tokenUrl = `${appUrl}/api/token`;

function post(body: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  return fetch(tokenUrl, { method: "POST", body, headers });
}

const BAD: { what: string; init: () => Promise<Response>; status: number }[] = [
  { what: "channel 0", init: () => post(JSON.stringify({ name: "Ann", channel: 0 })), status: 400 },
  { what: "channel 21", init: () => post(JSON.stringify({ name: "Ann", channel: 21 })), status: 400 },
  { what: 'channel "3" (a string)', init: () => post(JSON.stringify({ name: "Ann", channel: "3" })), status: 400 },
  { what: "channel 2.5", init: () => post(JSON.stringify({ name: "Ann", channel: 2.5 })), status: 400 },
  { what: "channel -1", init: () => post(JSON.stringify({ name: "Ann", channel: -1 })), status: 400 },
  { what: "missing channel", init: () => post(JSON.stringify({ name: "Ann" })), status: 400 },
  { what: "empty name", init: () => post(JSON.stringify({ name: "", channel: 3 })), status: 400 },
  { what: "blank name", init: () => post(JSON.stringify({ name: "   ", channel: 3 })), status: 400 },
  { what: "41-character name", init: () => post(JSON.stringify({ name: "x".repeat(41), channel: 3 })), status: 400 },
  { what: "control characters", init: () => post(JSON.stringify({ name: "Ann\u0007\n", channel: 3 })), status: 400 },
  { what: "<script> in name", init: () => post(JSON.stringify({ name: "<script>alert(1)</script>", channel: 3 })), status: 400 },
  { what: "unknown role", init: () => post(JSON.stringify({ name: "Ann", channel: 3, role: "admin" })), status: 400 },
  { what: "extra field", init: () => post(JSON.stringify({ name: "Ann", channel: 3, canPublish: true })), status: 400 },
  { what: "JSON array", init: () => post("[]"), status: 400 },
  { what: "JSON null", init: () => post("null"), status: 400 },
  { what: "non-JSON body", init: () => post("name=Ann&channel=3", { "content-type": "text/plain" }), status: 400 },
  { what: "empty body", init: () => post(""), status: 400 },
  { what: "1 MB body", init: () => post(JSON.stringify({ name: "Ann", channel: 3, pad: "x".repeat(1_000_000) })), status: 413 },
  { what: "11 kB body", init: () => post(JSON.stringify({ name: "Ann", channel: 3, pad: "x".repeat(11_000) })), status: 413 },
  { what: "GET", init: () => fetch(tokenUrl), status: 405 },
  { what: "PUT", init: () => fetch(tokenUrl, { method: "PUT", body: "{}" }), status: 405 },
];

describe("POST /api/token rejects bad requests with a JSON error", () => {
  it.each(BAD)("$what → $status", async ({ init, status }) => {
    const res = await init();
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as { error?: unknown; code?: unknown };
    expect(typeof body.error).toBe("string");
    expect(typeof body.code).toBe("string");
    if (status === 405) expect(res.headers.get("allow")).toBe("POST");
  });

  it("names the offending field in details", async () => {
    const res = await post(JSON.stringify({ name: "Ann", channel: 21 }));
    const body = (await res.json()) as { details: Record<string, string> };
    expect(Object.keys(body.details)).toEqual(["channel"]);
    expect(body.details.channel).toMatch(/1 to 20/);
  });
});

describe("POST /api/token issues tokens", () => {
  it("answers a participant token for channel-N with no-store and a stable identity cookie", async () => {
    const res = await post(JSON.stringify({ name: "  Sam  ", channel: 7 }));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, string>;
    expect(body.room).toBe("channel-7");
    expect(body.name).toBe("Sam");
    expect(body.identity).toMatch(/^p_/);
    expect(body.serverUrl).toMatch(/^ws:\/\//);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/cc_pid=/);
    expect(cookie.toLowerCase()).toContain("httponly");

    // The same browser (cookie) gets the same identity back: a reload rejoins as itself.
    const again = await post(JSON.stringify({ name: "Sam", channel: 7 }), {
      "content-type": "application/json",
      cookie: cookie.split(";")[0]!,
    });
    expect(((await again.json()) as Record<string, string>).identity).toBe(body.identity);

    // Another browser that also types "Sam" gets a different identity.
    const other = await post(JSON.stringify({ name: "Sam", channel: 7 }));
    expect(((await other.json()) as Record<string, string>).identity).not.toBe(body.identity);
  });

  it("gives each viewer tab its own identity", async () => {
    const a = (await (await post(JSON.stringify({ name: "Projector", channel: 7, role: "viewer" }))).json()) as Record<string, string>;
    expect(a.identity).toMatch(/^v_/);
  });

  it("never includes the API secret", async () => {
    const res = await post(JSON.stringify({ name: "Ann", channel: 3 }));
    const text = await res.text();
    expect(text).not.toContain(process.env.LIVEKIT_API_SECRET!);
  });
});
