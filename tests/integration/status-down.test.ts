import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../helpers/stack-env";

// A second app instance whose LiveKit is down (a port nothing listens on) and which
// has an admin password: /status must still answer 200, saying LiveKit is
// unreachable, and /debug must ask for the password.
const PASSWORD = "integration-admin-password-7f3a";
const root = join(__dirname, "..", "..");
let app: ChildProcess;
let url: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const [appPort, deadPort] = [await freePort(), await freePort()];
  url = `http://127.0.0.1:${appPort}`;
  app = spawn(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(appPort), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, LIVEKIT_URL: `ws://127.0.0.1:${deadPort}`, CC_EMBEDDED: "1", NEXT_TELEMETRY_DISABLED: "1", ADMIN_PASSWORD: PASSWORD },
    stdio: "ignore",
    detached: true,
  });
  await until(async () => (await fetch(`${url}/api/token`, { method: "GET" })).status === 405, "the second app instance", 30000);
});

afterAll(() => {
  if (app.pid) process.kill(-app.pid, "SIGKILL");
});

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
