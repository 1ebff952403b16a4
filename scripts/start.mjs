#!/usr/bin/env node
// `npm start`: the whole system on the embedded default — livekit-server (one node,
// in memory), the director and the Next.js app. Ctrl-C stops every child.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CACHE, ROOT, ensureDependencies, ensureLivekitServer, fail, log, run, warn } from "./lib/bootstrap.mjs";
import { resolveKeys, startDirector, startStack, tcpPortInUse } from "./lib/stack.mjs";

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

function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== "node_modules" && !e.startsWith(".")) visit(join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach((p) => visit(join(ROOT, p)));
  return newest;
}

async function ensureBuild() {
  const buildId = join(ROOT, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  const sources = newestMtime(["app", "components", "hooks", "lib", "public", "next.config.js", "package.json", "postcss.config.mjs"]);
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= sources) {
    log("app build: up to date");
    return;
  }
  log("app build: next build (about a minute)…");
  const code = await run(process.execPath, [join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (code !== 0) fail("next build failed (see above)");
}

async function main() {
  const t0 = Date.now();
  log("Conference Camera — starting the embedded default");
  try {
    resolveKeys();
  } catch (err) {
    fail(err.message);
  }
  const ports = {
    app: Number(process.env.PORT || 9000),
    http: 7880,
    tcp: 7881,
    udp: 7882,
    director: Number(process.env.DIRECTOR_HTTP_PORT || 7890),
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
  ]) {
    if (await tcpPortInUse(port)) fail(`port ${port} for ${what} is already in use. Stop whatever holds it, or set another port.`);
  }

  await ensureDependencies();
  const livekitBin = await ensureLivekitServer();
  await ensureBuild();

  let stack;
  try {
    stack = await startStack({ livekitBin, ports, appMode: "start" });
  } catch (err) {
    fail(`${err.message}\n  Logs: ${join(CACHE, "logs")}`);
  }

  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    await stack.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => shutdown(0));
  process.on("SIGTERM", () => shutdown(0));

  // LiveKit or the app dying ends the run; a crashed director is restarted, and its
  // rooms are dispatched to it again (the viewers keep the last program meanwhile).
  for (const child of [stack.livekit, stack.app]) {
    child.on("exit", (code) => {
      if (stopping) return;
      warn(`${child.serviceName} exited (code ${code}); stopping everything. Logs: ${join(CACHE, "logs")}`);
      shutdown(1);
    });
  }
  const superviseDirector = (child) => {
    child.on("exit", (code) => {
      if (stopping) return;
      warn(`director exited (code ${code}); restarting in 1 s`);
      setTimeout(() => {
        if (stopping) return;
        const idx = stack.children.indexOf(child);
        const next = startDirector({ env: stack.serviceEnv, ports, logDir: join(CACHE, "logs") });
        if (idx >= 0) stack.children[idx] = next;
        else stack.children.push(next);
        superviseDirector(next);
      }, 1000);
    });
  };
  if (stack.director) superviseDirector(stack.director);

  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log("");
  log(`ready in ${secs} s`);
  console.log(`
  Participants   http://localhost:${ports.app}/
  Viewer         http://localhost:${ports.app}/viewer
  Admin          http://localhost:${ports.app}/friends
  Status (JSON)  http://localhost:${ports.app}/status
  Debug (JSON)   http://localhost:${ports.app}/debug

  LiveKit        ws://localhost:${ports.http} (ICE/TCP ${ports.tcp}, UDP ${ports.udp})
  Logs           ${join(CACHE, "logs")}

  Press Ctrl-C to stop.
`);
}

main().catch((err) => fail(err?.stack ?? String(err)));
