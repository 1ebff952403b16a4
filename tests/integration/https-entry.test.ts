/**
 * The HTTPS entry point of the running stack (npm test starts it on loopback with its
 * own certificate, as npm start does on the LAN): the app and LiveKit's signalling and
 * API on one TLS origin.
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { createServer as createNetServer, type Socket } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isLivekitPath, startHttpsEntry } from "../../scripts/lib/https-entry.mjs";
import { ensureCertificate } from "../../scripts/lib/tls.mjs";

const HTTPS = process.env.CC_HTTPS_URL ?? "https://127.0.0.1:9443";
// npm test's certificate: trusting it (not turning verification off) also checks that
// its SANs cover 127.0.0.1.
const ca = readFileSync(join(__dirname, "..", "..", ".cache", "tls-test", "cert.pem"), "utf8");

function call(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}, origin = HTTPS) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(`${origin}${path}`, { method: init.method ?? "GET", headers: init.headers, ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

describe("the HTTPS entry point", () => {
  it("routes LiveKit's paths to LiveKit and the rest to the app", () => {
    for (const p of ["/rtc", "/rtc?access_token=x", "/rtc/v1", "/rtc/validate?x=1", "/twirp/livekit.RoomService/ListRooms"]) {
      expect(isLivekitPath(p), p).toBe(true);
    }
    for (const p of ["/", "/rtcx", "/viewer", "/api/token", "/_next/static/x.js", "/twirpy"]) expect(isLivekitPath(p), p).toBe(false);
  });

  it("serves the app over TLS with a certificate for this host", async () => {
    const res = await call("/status");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toHaveProperty("ok");
  });

  it("answers a token whose serverUrl is its own wss origin, with a Secure cookie", async () => {
    const res = await call("/api/token", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "http", "x-forwarded-host": "evil.example" },
      body: JSON.stringify({ name: "Entry Test", channel: 2, role: "participant" }),
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { serverUrl: string };
    // The entry point's own forwarding headers win over a client's.
    expect(body.serverUrl).toBe(HTTPS.replace(/^https/, "wss"));
    expect(String(res.headers["set-cookie"])).toMatch(/;\s*Secure/i);
  });

  it("proxies LiveKit's server API (/twirp) and signalling checks (/rtc/validate)", async () => {
    const twirp = await call("/twirp/livekit.RoomService/ListRooms", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    // LiveKit itself answers: no token is a Twirp unauthenticated error, not the app's 404.
    expect(twirp.status).toBe(401);
    expect(twirp.body).toMatch(/unauthenticated|permissions|authorization/i);
    const validate = await call("/rtc/validate");
    expect(validate.status).toBe(401);
  });

  it("sends a GET again when the app closed the pooled keep-alive socket it went out on", async () => {
    // The race that left a phone's page blank: the app's keep-alive timeout closes an idle
    // socket just as the entry point reuses it. This upstream (not the app: the race must
    // happen every time) answers each connection's first request with keep-alive, and
    // closes the connection when a second request arrives on it, as that timeout would.
    const sockets = new Set<Socket>();
    let connections = 0;
    const upstream = createNetServer((sock) => {
      connections++;
      sockets.add(sock);
      sock.on("close", () => sockets.delete(sock));
      sock.on("error", () => undefined);
      let served = 0;
      let buf = "";
      sock.on("data", (d) => {
        buf += d.toString("latin1");
        while (buf.includes("\r\n\r\n")) {
          buf = buf.slice(buf.indexOf("\r\n\r\n") + 4);
          if (served++ > 0) return sock.destroy();
          sock.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\n\r\nok");
        }
      });
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const port = (upstream.address() as { port: number }).port;
    const tls = await ensureCertificate({ dir: join(__dirname, "..", "..", ".cache", "tls-test"), ips: [], hostname: "localhost" });
    const entry = await startHttpsEntry({ port: 0, host: "127.0.0.1", cert: tls.cert, key: tls.key, appPort: port, livekitPort: port });
    try {
      const origin = `https://127.0.0.1:${entry.port}`;
      for (let i = 0; i < 3; i++) {
        const res = await call(`/chunk-${i}.js`, {}, origin);
        expect(res.status, res.body).toBe(200);
        expect(res.body).toBe("ok");
      }
      // Each retry went out on a new connection: the first request, then one per reuse.
      expect(connections).toBe(3);
      // A POST's body cannot be sent twice: it gets the 502, with the reason.
      const post = await call("/api/x", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }, origin);
      expect(post.status).toBe(502);
      expect(JSON.parse(post.body)).toMatchObject({ code: "upstream_unreachable" });
    } finally {
      await entry.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => upstream.close(r));
    }
  });
});
