#!/usr/bin/env node
// `npm run test:egress`: record ~20 s of a channel where two bots take turns and check
// the file frame by frame (tests/egress/record-program.ts). Bootstraps what it needs
// (npm packages, livekit-server, the app build, Chromium, Redis, PulseAudio, Xvfb,
// GStreamer plugins, ffmpeg, and LiveKit Egress when it can be had), then starts the
// stack on free ports with a private Redis and Egress. Without an Egress binary
// (EGRESS_BIN, PATH, or built from the Go module) it records with the stand-in of
// tests/egress/stand-in-recorder.ts and says so. The last line is `N passed, M failed`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { CACHE, ROOT, ensureBuild, ensureChromium, ensureDependencies, ensureEgress, ensureEgressRuntime, ensureLivekitServer, log, warn } from "./lib/bootstrap.mjs";
import { startEgress, startRedis } from "./lib/recording.mjs";
import { startStackOnFreePorts, stopService, freeStackPorts } from "./lib/stack.mjs";

const stoppers = [];
async function stopAll() {
  for (const s of stoppers.splice(0).reverse()) await s().catch(() => undefined);
}
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => void stopAll().then(() => process.exit(130)));

async function main() {
  const t0 = Date.now();
  log("Conference Camera — npm run test:egress");
  await ensureDependencies();
  const livekitBin = await ensureLivekitServer();
  await ensureBuild();
  const chromium = await ensureChromium();
  await ensureEgressRuntime();
  const egressBin = process.env.CC_EGRESS_STAND_IN === "1" ? null : await ensureEgress({ required: false });
  if (!egressBin) warn("no LiveKit Egress binary: recording with the stand-in recorder (tests/egress/stand-in-recorder.ts) instead");
  log(`bootstrap done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const logDir = join(CACHE, "logs", "test-egress");
  // Redis always, as `npm start -- --record` does: LiveKit's egress API then answers
  // (without it, 503 "redis required"), whichever recorder is used.
  const redis = await startRedis({ logDir });
  stoppers.push(() => stopService(redis.child));
  const adminPassword = `cc-test-${randomBytes(12).toString("base64url")}`;
  const { ports, stack } = await startStackOnFreePorts(freeStackPorts, (ports) => ({
    livekitBin,
    ports,
    appMode: "start",
    quiet: true,
    logDir,
    nodeIp: "127.0.0.1",
    bind: ["127.0.0.1"],
    redisAddress: redis.address,
    extraEnv: { ADMIN_PASSWORD: adminPassword, EGRESS_LAYOUT_URL: `http://127.0.0.1:${ports.app}/egress` },
  }));
  stoppers.push(() => stack.stop());
  let egress = null;
  if (egressBin) {
    egress = await startEgress({ egressBin, keys: stack.keys, livekitPort: ports.http, redisAddress: redis.address, logDir });
    stoppers.push(() => egress.stop());
  }

  // The check's own output passes through; its summary line is printed again last, after
  // the stack has stopped, so `N passed, M failed` is the run's last line.
  let summary = "0 passed, 1 failed";
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(ROOT, "tests", "egress", "record-program.ts")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        CC_APP_URL: stack.appUrl,
        CC_LIVEKIT_URL: stack.livekitUrl,
        CC_CHROMIUM: chromium,
        CC_RECORDER: egressBin ? "egress" : "stand-in",
        CC_EGRESS_PID: egress ? String(egress.egress.pid) : "",
        CC_ADMIN_PASSWORD: adminPassword,
        LIVEKIT_API_KEY: stack.keys.key,
        LIVEKIT_API_SECRET: stack.keys.secret,
      },
    });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      for (const m of d.matchAll(/^\d+ passed, \d+ failed$/gm)) summary = m[0];
    });
    child.on("close", (c) => resolve(c ?? 1));
  });
  await stopAll();
  log(`test:egress took ${((Date.now() - t0) / 1000).toFixed(0)} s (logs: ${logDir})`);
  console.log(summary);
  process.exit(code);
}

main().catch(async (err) => {
  warn(err?.stack ?? String(err));
  await stopAll();
  console.log("0 passed, 1 failed");
  process.exit(1);
});
