// @ts-check
// Recording mode (`npm start -- --record`, RECORDING=1, `npm run test:egress`): a
// private Redis, PulseAudio and LiveKit Egress beside the stack. LiveKit needs Redis to
// reach Egress even with one node; the embedded default without recording stays Redis-free.
import { mkdirSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { CACHE, ROOT, ensureEgress, ensureEgressRuntime, log, which } from "./bootstrap.mjs";
import { freeTcpPort, spawnService, stopService, waitFor } from "./stack.mjs";

/** Where Egress writes files (its file outputs are relative paths under ROOT). */
export const RECORDINGS_DIR = join(ROOT, "recordings");

export function recordingRequested(argv = process.argv.slice(2), env = process.env) {
  return argv.includes("--record") || env.RECORDING === "1" || env.RECORDING === "true";
}

/**
 * @param {number} port
 * @returns {Promise<boolean>}
 */
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

/**
 * A private Redis on a free loopback port: no persistence, no config file.
 * @param {{ logDir?: string; port?: number }} [opts]
 */
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
  const ms = await waitFor(() => redisPing(port), { timeoutMs: 10000, what: "redis-server", child });
  log(`redis ready on 127.0.0.1:${port} (${ms} ms; no persistence)`);
  return { child, port, address: `127.0.0.1:${port}` };
}

/**
 * Egress's config. The CPU costs are lowered so that a 2-core machine accepts one
 * room composite: Egress's default room_composite_cpu_cost is 4 cores, and it refuses
 * a request when less than that is idle (80 % of 2 cores is 1.6).
 * @param {{ keys: { key: string; secret: string }; livekitPort: number; redisAddress: string; healthPort: number; templatePort: number; logLevel?: string }} o
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

/**
 * @typedef {{ children: import("node:child_process").ChildProcess[]; egress: import("node:child_process").ChildProcess; healthPort: number; stop(): Promise<void[]> }} Egress
 */

/**
 * PulseAudio (Egress's Chromium plays into it) and Egress itself, cwd ROOT so files land in recordings/.
 * @param {{ egressBin: string; keys: { key: string; secret: string }; livekitPort: number; redisAddress: string; logDir?: string; quiet?: boolean }} o
 * @returns {Promise<Egress>}
 */
export async function startEgress({ egressBin, keys, livekitPort, redisAddress, logDir = join(CACHE, "logs"), quiet = true }) {
  mkdirSync(RECORDINGS_DIR, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  /** @type {import("node:child_process").ChildProcess[]} */
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
    const ms = await waitFor(async () => (await fetch(`http://127.0.0.1:${healthPort}/`)).ok, { timeoutMs: 30000, what: "egress", child: egress });
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
 * @param {{ logDir?: string; quiet?: boolean }} [opts]
 */
export async function startRecording({ logDir = join(CACHE, "logs"), quiet = true } = {}) {
  await ensureEgressRuntime();
  // Required: it exits with what to install instead of returning null.
  const egressBin = /** @type {string} */ (await ensureEgress());
  const redis = await startRedis({ logDir });
  /** @type {Egress | null} */
  let egress = null;
  return {
    redisAddress: redis.address,
    egressBin,
    /** @param {{ keys: { key: string; secret: string }; ports: { http: number } }} stack */
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
