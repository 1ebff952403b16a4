// Recording mode (`npm start -- --record`, RECORDING=1, `npm run test:egress`): a
// private Redis, PulseAudio and LiveKit Egress beside the stack. LiveKit needs Redis to
// reach Egress even with one node; the embedded default without recording stays Redis-free.
import { mkdirSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { CACHE, ROOT, ensureEgress, ensureEgressRuntime, log, which } from "./bootstrap.mjs";
import { freeTcpPort, spawnService, stopService } from "./stack.mjs";

/** Where Egress writes files (its file outputs are relative paths under ROOT). */
export const RECORDINGS_DIR = join(ROOT, "recordings");

export function recordingRequested(argv = process.argv.slice(2), env = process.env) {
  return argv.includes("--record") || env.RECORDING === "1" || env.RECORDING === "true";
}

function redisPing(port) {
  return new Promise((resolve) => {
    const sock = createConnection({ host: "127.0.0.1", port });
    let buf = "";
    sock.setTimeout(1000, () => sock.destroy());
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (d) => {
      buf += d;
      if (buf.includes("PONG")) {
        sock.end();
        resolve(true);
      }
    });
    sock.on("error", () => resolve(false));
    sock.on("close", () => resolve(buf.includes("PONG")));
  });
}

async function until(check, what, child, timeoutMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready`);
    if (await check()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms`);
}

/** A private Redis on a free loopback port: no persistence, no config file. */
export async function startRedis({ logDir = join(CACHE, "logs"), port } = {}) {
  const bin = which("redis-server");
  if (!bin) throw new Error("redis-server is not installed (ensureEgressRuntime installs it)");
  port ??= await freeTcpPort();
  mkdirSync(logDir, { recursive: true });
  mkdirSync(join(CACHE, "run"), { recursive: true });
  const child = spawnService(
    "redis",
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--dir", join(CACHE, "run")],
    { env: process.env, logFile: join(logDir, "redis.log"), quiet: true },
  );
  const ms = await until(() => redisPing(port), "redis-server", child, 10000);
  log(`redis ready on 127.0.0.1:${port} (${ms} ms; no persistence)`);
  return { child, port, address: `127.0.0.1:${port}` };
}

/**
 * Egress's config. The CPU costs are lowered so that a 2-core machine accepts one
 * room composite: Egress's default room_composite_cpu_cost is 4 cores, and it refuses
 * a request when less than that is idle (80 % of 2 cores is 1.6).
 */
export function egressConfig({ keys, livekitPort, redisAddress, healthPort, templatePort, logLevel = "info" }) {
  return {
    api_key: keys.key,
    api_secret: keys.secret,
    ws_url: `ws://127.0.0.1:${livekitPort}`,
    redis: { address: redisAddress },
    health_port: healthPort,
    template_port: templatePort,
    insecure: true, // the layout page connects to LiveKit over plain ws on loopback
    logging: { level: logLevel },
    cpu_cost: {
      max_cpu_utilization: 0.95,
      max_concurrent_web: 1, // one Chrome/Xvfb/PulseAudio composite at a time: 2 cores hold one
      room_composite_cpu_cost: 1,
      audio_room_composite_cpu_cost: 0.5,
      web_cpu_cost: 1,
      audio_web_cpu_cost: 0.5,
      participant_cpu_cost: 0.5,
      track_composite_cpu_cost: 0.5,
      track_cpu_cost: 0.25,
    },
  };
}

/** PulseAudio (Egress's Chromium plays into it) and Egress itself, cwd ROOT so files land in recordings/. */
export async function startEgress({ egressBin, keys, livekitPort, redisAddress, logDir = join(CACHE, "logs"), quiet = true }) {
  mkdirSync(RECORDINGS_DIR, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const children = [];
  const pulse = spawnService("pulseaudio", "pulseaudio", ["--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--log-target=stderr"], {
    env: process.env,
    logFile: join(logDir, "pulseaudio.log"),
    quiet: true,
  });
  children.push(pulse);
  const healthPort = await freeTcpPort();
  const templatePort = await freeTcpPort();
  const config = egressConfig({ keys, livekitPort, redisAddress, healthPort, templatePort });
  const configPath = join(CACHE, "run", `egress-${livekitPort}.yaml`);
  mkdirSync(join(CACHE, "run"), { recursive: true });
  writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 }); // JSON is YAML
  const egress = spawnService("egress", egressBin, [], {
    env: { ...process.env, EGRESS_CONFIG_FILE: configPath },
    logFile: join(logDir, "egress.log"),
    quiet,
  });
  children.push(egress);
  try {
    const ms = await until(async () => (await fetch(`http://127.0.0.1:${healthPort}/`).catch(() => null))?.ok ?? false, "egress", egress, 30000);
    log(`egress ready (${ms} ms; health :${healthPort}; files in ${RECORDINGS_DIR}; log: ${join(logDir, "egress.log")})`);
  } catch (err) {
    await Promise.all(children.map((c) => stopService(c)));
    throw err;
  }
  return { children, egress, healthPort, stop: () => Promise.all(children.reverse().map((c) => stopService(c))) };
}

/**
 * For `npm start -- --record`: find (or build) Egress and its packages and start Redis
 * now, so LiveKit starts with it; `attach(stack)` starts Egress once LiveKit is up.
 */
export async function startRecording({ logDir = join(CACHE, "logs"), quiet = true } = {}) {
  await ensureEgressRuntime();
  const egressBin = await ensureEgress();
  const redis = await startRedis({ logDir });
  let egress = null;
  return {
    redisAddress: redis.address,
    egressBin,
    async attach(stack) {
      egress = await startEgress({ egressBin, keys: stack.keys, livekitPort: stack.ports.http, redisAddress: redis.address, logDir, quiet });
      return egress;
    },
    async stop() {
      await egress?.stop();
      await stopService(redis.child);
    },
  };
}
