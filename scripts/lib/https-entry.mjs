// @ts-check
// The HTTPS entry point: one TLS port (HTTPS_PORT, 9443) in front of the app and
// LiveKit's signalling, so a phone's page and its `wss://` socket share one origin and
// one certificate. No reverse proxy to install: Node built-ins only.
//
//   /rtc…, /twirp…  → livekit-server (WebSocket upgrade included)
//   everything else → the Next.js app (with X-Forwarded-Proto/Host, which the token
//                     route reads to answer serverUrl = wss://<this host>)
//
// Hostile clients: header and request timeouts (a slow client can't hold a socket),
// an upstream timeout (a stuck upstream answers 504), an idle timeout on upgraded
// sockets, and a cap on concurrent requests per client address, so one client can't
// take every upstream socket.
import { createHmac } from "node:crypto";
import { request as httpRequest, Agent } from "node:http";
import { createServer } from "node:https";
import { connect } from "node:net";

/** @typedef {import("node:http").IncomingMessage} IncomingMessage */
/** @typedef {import("node:net").Socket} Socket */

/**
 * Paths LiveKit serves: signalling (/rtc, /rtc/v1, /rtc/validate) and the server API.
 * @param {string | undefined} url
 */
export function isLivekitPath(url) {
  return /^\/(rtc|twirp)(\/|\?|$)/.test(url ?? "");
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);

/**
 * What the entry point sends the app (x-cc-entry) to prove the request came through
 * it, so the app believes the X-Forwarded-For hop it appends. Keyed by the API secret;
 * lib/net/client-address.ts derives the same.
 * @param {string} apiSecret
 */
export function entryProof(apiSecret) {
  return createHmac("sha256", apiSecret).update("cc-https-entry-v1").digest("base64url");
}

/**
 * @typedef {{
 *   headersTimeoutMs: number; requestTimeoutMs: number; upstreamTimeoutMs: number; upgradeIdleMs: number;
 *   maxConcurrentPerClient: number; maxUpgradesPerClient: number; checkIntervalMs: number;
 * }} EntryLimits
 * @typedef {{ server: import("node:https").Server; port: number; dropUpgrades(): number; close(): Promise<void> }} HttpsEntry
 */

/** @type {EntryLimits} */
export const ENTRY_DEFAULTS = {
  /** the whole request head must arrive within this */
  headersTimeoutMs: 10_000,
  /** the whole request (head and body) within this */
  requestTimeoutMs: 30_000,
  /** the upstream must send something at least this often (SSE sends a keepalive every 15 s) */
  upstreamTimeoutMs: 60_000,
  /** an upgraded socket (LiveKit signalling pings every few seconds) idle this long is closed */
  upgradeIdleMs: 120_000,
  /** concurrent requests per client address (a venue's phones may share one address) */
  maxConcurrentPerClient: 64,
  /** concurrent WebSockets per client address */
  maxUpgradesPerClient: 512,
  /** how often Node checks the header and request timeouts (its default, 30 s, would let them overrun) */
  checkIntervalMs: 1000,
};

/**
 * @param {IncomingMessage} req
 * @param {string | null} proof
 * @returns {Record<string, string>}
 */
function forwardedHeaders(req, proof) {
  const remote = req.socket.remoteAddress ?? "";
  const prior = req.headers["x-forwarded-for"];
  return {
    // Our own values replace whatever the client sent: the app trusts these for the
    // token's serverUrl and the cookie's Secure flag.
    "x-forwarded-proto": "https",
    "x-forwarded-host": req.headers.host ?? "",
    "x-forwarded-port": String(req.socket.localPort ?? ""),
    "x-forwarded-for": prior ? `${prior}, ${remote}` : remote,
    ...(proof ? { "x-cc-entry": proof } : {}),
  };
}

const OWN_HEADERS = new Set(["x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-for", "x-cc-entry", "x-cc-peer"]);

/**
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [extra]
 */
function jsonReply(res, status, body, extra = {}) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...extra });
  res.end(JSON.stringify(body));
}

/**
 * Start the entry point. Returns { server, port, url, close(), dropUpgrades() };
 * dropUpgrades cuts every proxied WebSocket (tests use it as a network drop).
 * @param {{
 *   port: number; host?: string; cert: string; key: string; appPort: number; livekitPort: number; upstreamHost?: string;
 *   apiSecret?: string; limits?: Partial<EntryLimits>;
 * }} o  apiSecret: the LiveKit API secret; the entry proves itself to the app with a header keyed by it
 * @returns {Promise<HttpsEntry>}
 */
export function startHttpsEntry({
  port,
  host = "0.0.0.0",
  cert,
  key,
  appPort,
  livekitPort,
  upstreamHost = "127.0.0.1",
  apiSecret,
  limits = {},
}) {
  const opts = { ...ENTRY_DEFAULTS, ...limits };
  const proof = apiSecret ? entryProof(apiSecret) : null;
  // Enough sockets that the per-client cap, not the pool, is what a greedy client meets.
  // Idle pooled sockets are dropped after 4 s, before the app's own 5 s keep-alive timeout
  // (Node's default, which `next start` keeps) closes them under us.
  const agent = new Agent({ keepAlive: true, maxSockets: 1024, timeout: 4000 });
  /** @type {Set<{ socket: import("node:stream").Duplex; up: Socket }>} */
  const upgrades = new Set();
  const target = (/** @type {string | undefined} */ url) => (isLivekitPath(url) ? livekitPort : appPort);
  /** @type {Map<string, number>} */
  const inFlight = new Map();
  /** @type {Map<string, number>} */
  const upgradesOf = new Map();
  /** @type {(map: Map<string, number>, addr: string, d: number) => number} */
  const bump = (map, addr, d) => {
    const n = (map.get(addr) ?? 0) + d;
    if (n <= 0) map.delete(addr);
    else map.set(addr, n);
    return n;
  };

  const server = createServer({ cert, key, connectionsCheckingInterval: opts.checkIntervalMs }, (req, res) => {
    const addr = req.socket.remoteAddress ?? "unknown";
    if ((inFlight.get(addr) ?? 0) >= opts.maxConcurrentPerClient) {
      return jsonReply(
        res,
        429,
        { error: "too many concurrent requests from this address", code: "too_many_requests", details: { retryAfterS: 1 } },
        { "retry-after": "1", connection: "close" },
      );
    }
    bump(inFlight, addr, 1);
    let released = false;
    const release = () => {
      if (!released) bump(inFlight, addr, -1);
      released = true;
    };
    res.on("close", release);

    /** @type {import("node:http").OutgoingHttpHeaders} */
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && !OWN_HEADERS.has(k)) headers[k] = v;
    Object.assign(headers, forwardedHeaders(req, proof));
    // A request without a body (GET, HEAD) is sent again, once, when a pooled keep-alive
    // socket turns out to have been closed by the app meanwhile (its idle timeout raced
    // our reuse: ECONNRESET or "socket hang up" before any answer), as Node's docs advise
    // for `reusedSocket`. That race otherwise answered a page's script chunk with 502
    // and left the page blank, most often on a loaded machine.
    const replayable = (req.method === "GET" || req.method === "HEAD") && !req.headers["content-length"] && !req.headers["transfer-encoding"];
    const forward = (/** @type {number} */ attempt) => {
      const upstream = httpRequest(
        { host: upstreamHost, port: target(req.url), method: req.method, path: req.url, headers, agent },
        (up) => {
          /** @type {import("node:http").OutgoingHttpHeaders} */
          const out = {};
          for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
          res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
          up.pipe(res);
        },
      );
      // A stuck upstream (nothing sent for upstreamTimeoutMs) answers 504 instead of
      // holding the phone's request and a pool socket forever.
      upstream.setTimeout(opts.upstreamTimeoutMs, () => upstream.destroy(Object.assign(new Error("upstream timed out"), { code: "ETIMEDOUT" })));
      upstream.on("error", (/** @type {NodeJS.ErrnoException} */ err) => {
        if (res.headersSent) return res.destroy(err);
        if (err.code === "ETIMEDOUT") {
          return jsonReply(res, 504, { error: "the server took too long to answer", code: "upstream_timeout" });
        }
        const stale = upstream.reusedSocket && (err.code === "ECONNRESET" || err.code === "EPIPE" || err.message === "socket hang up");
        if (stale && replayable && attempt === 0 && !res.destroyed) return forward(1);
        jsonReply(res, 502, { error: `upstream unreachable: ${err.message}`, code: "upstream_unreachable" });
      });
      // A phone that goes away mid-response (sleep, tab closed) frees the upstream too.
      res.on("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      if (attempt === 0) req.pipe(upstream);
      else upstream.end();
    };
    forward(0);
  });
  // A client that sends its request head or body too slowly (slowloris) is cut off:
  // Node answers 408 and closes the socket.
  server.headersTimeout = opts.headersTimeoutMs;
  server.requestTimeout = opts.requestTimeoutMs;

  // WebSockets (LiveKit signalling; Next's dev HMR): replay the request head to the
  // upstream over a raw socket, then splice the two sockets together.
  server.on("upgrade", (req, /** @type {Socket} */ socket, head) => {
    const addr = req.socket.remoteAddress ?? "unknown";
    if ((upgradesOf.get(addr) ?? 0) >= opts.maxUpgradesPerClient) {
      socket.end("HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    bump(upgradesOf, addr, 1);
    const up = connect(target(req.url), upstreamHost);
    const pair = { socket, up };
    upgrades.add(pair);
    let closed = false;
    const done = () => {
      if (!closed) bump(upgradesOf, addr, -1);
      closed = true;
      upgrades.delete(pair);
      socket.destroy();
      up.destroy();
    };
    // A socket with no traffic either way for upgradeIdleMs is dead (LiveKit's
    // signalling pings every few seconds); close both sides.
    socket.setTimeout(opts.upgradeIdleMs, done);
    up.on("connect", () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (!OWN_HEADERS.has((req.rawHeaders[i] ?? "").toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      for (const [k, v] of Object.entries(forwardedHeaders(req, proof))) lines.push(`${k}: ${v}`);
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
      const actual = /** @type {import("node:net").AddressInfo} */ (server.address()).port;
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
          return new Promise((/** @type {(v?: void) => void} */ done) => {
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
