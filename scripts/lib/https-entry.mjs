// The HTTPS entry point: one TLS port (HTTPS_PORT, 9443) in front of the app and
// LiveKit's signalling, so a phone's page and its `wss://` socket share one origin and
// one certificate. No reverse proxy to install: Node built-ins only.
//
//   /rtc…, /twirp…  → livekit-server (WebSocket upgrade included)
//   everything else → the Next.js app (with X-Forwarded-Proto/Host, which the token
//                     route reads to answer serverUrl = wss://<this host>)
import { request as httpRequest, Agent } from "node:http";
import { createServer } from "node:https";
import { connect } from "node:net";

/** Paths LiveKit serves: signalling (/rtc, /rtc/v1, /rtc/validate) and the server API. */
export function isLivekitPath(url) {
  return /^\/(rtc|twirp)(\/|\?|$)/.test(url ?? "");
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);

function forwardedHeaders(req) {
  const remote = req.socket.remoteAddress ?? "";
  const prior = req.headers["x-forwarded-for"];
  return {
    // Our own values replace whatever the client sent: the app trusts these for the
    // token's serverUrl and the cookie's Secure flag.
    "x-forwarded-proto": "https",
    "x-forwarded-host": req.headers.host ?? "",
    "x-forwarded-port": String(req.socket.localPort ?? ""),
    "x-forwarded-for": prior ? `${prior}, ${remote}` : remote,
  };
}

/**
 * Start the entry point. Returns { server, port, url, close(), dropUpgrades() };
 * dropUpgrades cuts every proxied WebSocket (tests use it as a network drop).
 */
export function startHttpsEntry({ port, host = "0.0.0.0", cert, key, appPort, livekitPort, upstreamHost = "127.0.0.1" }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const upgrades = new Set();
  const target = (url) => (isLivekitPath(url) ? livekitPort : appPort);

  const server = createServer({ cert, key }, (req, res) => {
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    Object.assign(headers, forwardedHeaders(req));
    const upstream = httpRequest(
      { host: upstreamHost, port: target(req.url), method: req.method, path: req.url, headers, agent },
      (up) => {
        const out = {};
        for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
        res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
        up.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      if (res.headersSent) return res.destroy(err);
      const body = JSON.stringify({ error: `upstream unreachable: ${err.message}`, code: "upstream_unreachable" });
      res.writeHead(502, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(body);
    });
    // A phone that goes away mid-response (sleep, tab closed) frees the upstream too.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });

  // WebSockets (LiveKit signalling; Next's dev HMR): replay the request head to the
  // upstream over a raw socket, then splice the two sockets together.
  server.on("upgrade", (req, socket, head) => {
    const up = connect(target(req.url), upstreamHost);
    const pair = { socket, up };
    upgrades.add(pair);
    const done = () => {
      upgrades.delete(pair);
      socket.destroy();
      up.destroy();
    };
    up.on("connect", () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      const skip = new Set(["x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-for"]);
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (!skip.has(req.rawHeaders[i].toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      for (const [k, v] of Object.entries(forwardedHeaders(req))) lines.push(`${k}: ${v}`);
      up.write(lines.join("\r\n") + "\r\n\r\n");
      if (head?.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.setNoDelay(true);
    socket.setNoDelay?.(true);
    up.on("error", done);
    socket.on("error", done);
    up.on("close", done);
    socket.on("close", done);
  });

  // A phone that never finishes the TLS handshake (certificate warning left open)
  // must not pin a socket forever.
  server.on("tlsClientError", (_err, socket) => socket.destroy());

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const actual = server.address().port;
      resolve({
        server,
        port: actual,
        dropUpgrades() {
          const n = upgrades.size;
          for (const { socket, up } of [...upgrades]) {
            socket.destroy();
            up.destroy();
          }
          upgrades.clear();
          return n;
        },
        close() {
          return new Promise((done) => {
            for (const { socket, up } of upgrades) {
              socket.destroy();
              up.destroy();
            }
            upgrades.clear();
            server.close(() => done());
            server.closeAllConnections?.();
            agent.destroy();
          });
        },
      });
    });
  });
}
