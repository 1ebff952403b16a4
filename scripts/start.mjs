#!/usr/bin/env node
// `npm start`: the whole system on the embedded default — livekit-server (one node,
// in memory), the director, the Next.js app and the HTTPS entry point for phones.
// Each child is restarted when it crashes; Ctrl-C stops them all.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CACHE, ensureBuild, ensureDependencies, ensureLivekitServer, fail, log, warn, which } from "./lib/bootstrap.mjs";
import { lanAddresses } from "./lib/lan.mjs";
import { recordingRequested, startRecording } from "./lib/recording.mjs";
import { resolveKeys, startStack, superviseStack, tcpPortInUse } from "./lib/stack.mjs";
import { terminalQr } from "./lib/terminal-qr.mjs";
import { ensureCertificate } from "./lib/tls.mjs";

const LOCK = join(CACHE, "run", "start.pid");

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function takeLock(ports) {
  mkdirSync(join(CACHE, "run"), { recursive: true });
  if (existsSync(LOCK)) {
    const prev = JSON.parse(readFileSync(LOCK, "utf8"));
    if (prev.pid && alive(prev.pid)) {
      fail(
        `Conference Camera is already running (pid ${prev.pid}) at http://localhost:${prev.app}.\n` +
          `  Stop it with Ctrl-C in its terminal (or: kill ${prev.pid}) before starting another.`,
      );
    }
  }
  writeFileSync(LOCK, JSON.stringify({ pid: process.pid, app: ports.app }));
}

async function main() {
  const t0 = Date.now();
  log("Conference Camera — starting the embedded default");
  try {
    resolveKeys();
  } catch (err) {
    fail(err.message);
  }
  // The admin pages need a password. A deployment must set one; on the embedded
  // default we make one for this run and print it once (it is never written anywhere).
  let generatedPassword = null;
  if (!process.env.ADMIN_PASSWORD?.trim()) {
    if (process.env.NODE_ENV === "production") {
      fail("ADMIN_PASSWORD is required when NODE_ENV=production: set it to a long random string (e.g. `openssl rand -base64 24`).");
    }
    generatedPassword = randomBytes(15).toString("base64url");
    process.env.ADMIN_PASSWORD = generatedPassword;
  }
  const ports = {
    app: Number(process.env.PORT || 9000),
    http: 7880,
    tcp: 7881,
    udp: 7882,
    director: Number(process.env.DIRECTOR_HTTP_PORT || 7890),
    https: Number(process.env.HTTPS_PORT || 9443),
  };
  takeLock(ports);
  const release = () => {
    try {
      const cur = JSON.parse(readFileSync(LOCK, "utf8"));
      if (cur.pid === process.pid) rmSync(LOCK);
    } catch {
      // already gone
    }
  };
  process.on("exit", release);

  for (const [what, port] of [
    ["the app (PORT)", ports.app],
    ["LiveKit signalling", ports.http],
    ["LiveKit ICE/TCP", ports.tcp],
    ["the director's health server (DIRECTOR_HTTP_PORT)", ports.director],
    ["the HTTPS entry point for phones (HTTPS_PORT)", ports.https],
  ]) {
    if (await tcpPortInUse(port)) fail(`port ${port} for ${what} is already in use. Stop whatever holds it, or set another port.`);
  }

  await ensureDependencies();
  const livekitBin = await ensureLivekitServer();
  await ensureBuild();

  // Phones on the same Wi-Fi: LiveKit and the app listen on every interface, LiveKit
  // advertises the LAN address as its ICE candidate (media over UDP 7882, ICE/TCP 7881
  // as the fallback), and phones open the HTTPS entry point (camera needs a secure page).
  // CAUTION: this exposes the embedded default to everyone on the local network. Its
  // key pair is this machine's own (resolveKeys, .cache/secrets), but LiveKit's port
  // 7880 is plain ws. Use it on a network you trust; deploy/ is for others.
  const lan = lanAddresses();
  const lanIp = lan[0] ?? null;
  if (!lanIp) warn("no LAN address found (not on a network?): phones cannot reach this computer; serving this machine only");
  const tls = await ensureCertificate({ dir: join(CACHE, "tls"), ips: lan, hostname: hostname(), mkcert: which("mkcert") });
  log(
    tls.created
      ? `HTTPS certificate: new ${tls.method} certificate (${tls.reason}) for ${[...tls.wanted.ips, ...tls.wanted.dns].join(", ")}`
      : `HTTPS certificate: reusing ${tls.certPath} (${tls.method})`,
  );
  const phoneUrl = lanIp ? `https://${lanIp}:${ports.https}` : `https://localhost:${ports.https}`;

  // --record / RECORDING=1: a private Redis (LiveKit uses it) and Egress (started below).
  const recording = recordingRequested() ? await startRecording() : null;

  let stack;
  try {
    stack = await startStack({
      redisAddress: recording?.redisAddress,
      livekitBin,
      ports,
      appMode: "start",
      bind: lanIp ? ["0.0.0.0"] : ["127.0.0.1"],
      nodeIp: lanIp ?? undefined,
      https: { port: ports.https, host: lanIp ? "0.0.0.0" : "127.0.0.1", cert: tls.cert, key: tls.key },
      extraEnv: { HTTPS_PORT: String(ports.https), PHONE_URL: process.env.PHONE_URL || phoneUrl },
    });
    await recording?.attach(stack);
  } catch (err) {
    await recording?.stop();
    fail(`${err.message}\n  Logs: ${join(CACHE, "logs")}`);
  }

  // Each child is supervised: a crash restarts that one child after a backoff, with
  // one log line, and the others carry on. LiveKit comes back empty (it keeps rooms in
  // memory); the pages rejoin on their own and the director is dispatched again.
  const supervisors = superviseStack(stack, { logDir: join(CACHE, "logs") });

  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    for (const s of supervisors) s.stop();
    await stack.stop();
    await recording?.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => shutdown(0));
  process.on("SIGTERM", () => shutdown(0));

  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log("");
  log(`ready in ${secs} s`);
  // With a JOIN_CODE the printed link and QR carry it (?code=…), so a phone that scans
  // it joins without typing; the terminal is the organiser's.
  const joinCode = process.env.JOIN_CODE?.trim();
  const withCode = (u) => (joinCode ? `${u}/?code=${encodeURIComponent(joinCode)}` : u);
  const phoneLink = withCode(phoneUrl);
  const others = lan.slice(1).map((ip) => withCode(`https://${ip}:${ports.https}`));
  console.log(`
  On this computer
    Participants   http://localhost:${ports.app}/
    Viewer         http://localhost:${ports.app}/viewer
    Admin          http://localhost:${ports.app}/friends${generatedPassword ? `   password: ${generatedPassword} (generated for this run; set ADMIN_PASSWORD to choose one)` : "   (password: ADMIN_PASSWORD)"}
    Status (JSON)  http://localhost:${ports.app}/status
    Debug          http://localhost:${ports.app}/debug (JSON with curl -H "Authorization: Bearer <password>")${recording ? "\n    Recording      Record/Stop on /friends; files in recordings/ (Egress)" : ""}

  On phones on the same Wi-Fi (accept the certificate warning once)
    ${phoneLink}${others.length ? `\n    also: ${others.join(", ")}` : ""}
${await terminalQr(phoneLink)}

  LiveKit        ws://localhost:${ports.http} (ICE/TCP ${ports.tcp}, UDP ${ports.udp}${lanIp ? `, advertised on ${lanIp}` : ""})
  Certificate    ${tls.certPath}${tls.method === "self-signed" ? " (self-signed; install mkcert for a trusted one)" : ""}
  Logs           ${join(CACHE, "logs")}

  Press Ctrl-C to stop.
`);
}

main().catch((err) => fail(err?.stack ?? String(err)));
