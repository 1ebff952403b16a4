import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeTcpPort } from "../../scripts/lib/stack.mjs";
import { startApp, type AppInstance } from "../helpers/app-instance";

// A second app instance whose LiveKit is down (a port nothing listens on) and which
// has an admin password: /status must still answer 200, saying LiveKit is
// unreachable, and /debug must ask for the password.
const PASSWORD = "integration-admin-password-7f3a";
let app: AppInstance;
let url: string;


beforeAll(async () => {
  app = await startApp({ LIVEKIT_URL: `ws://127.0.0.1:${await freeTcpPort()}`, ADMIN_PASSWORD: PASSWORD });
  url = app.url;
});

afterAll(() => app.stop());

describe("with LiveKit down", () => {
  it("/status answers 200 with reachable: false", async () => {
    const res = await fetch(`${url}/status`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; livekit: { reachable: boolean }; channels: unknown[] };
    expect(body.ok).toBe(false);
    expect(body.livekit.reachable).toBe(false);
    expect(body.channels).toEqual([]);
  });

  it("/debug needs the admin password, by Bearer or Basic", async () => {
    const none = await fetch(`${url}/debug`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string }).error).toMatch(/credentials/);
    const wrong = await fetch(`${url}/debug`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);

    const bearer = await fetch(`${url}/debug`, { headers: { authorization: `Bearer ${PASSWORD}` } });
    expect(bearer.status).toBe(200);
    const text = await bearer.text();
    expect((JSON.parse(text) as { livekit: { reachable: boolean } }).livekit.reachable).toBe(false);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(process.env.LIVEKIT_API_SECRET ?? "cc-dev-secret");

    const basic = await fetch(`${url}/debug`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}` },
    });
    expect(basic.status).toBe(200);
  });
});
