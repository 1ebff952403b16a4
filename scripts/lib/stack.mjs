// @ts-check
// Starts and stops the three processes of the system: livekit-server, the director
// and the Next.js app. Used by `npm start` (fixed ports) and `npm test` (free ports).
// Every child runs in its own process group so that stopping kills grandchildren too
// (the director forks job processes; next forks workers).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { createSocket } from "node:dgram";
import { mkdirSync, readFileSync, writeFileSync, createWriteStream } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { CACHE, ROOT, log, warn } from "./bootstrap.mjs";
import { startHttpsEntry } from "./https-entry.mjs";
import { buildDirector } from "./build-director.mjs";
import { supervise } from "./supervise.mjs";

/**
 * @typedef {import("node:child_process").ChildProcess & { serviceName?: string; startedAt?: number }} Service
 * @typedef {{ app: number; http: number; tcp: number; udp: number; director: number }} Ports
 * @typedef {{ key: string; secret: string }} Keys
 * @typedef {Record<string, string | undefined>} Env
 * @typedef {{
 *   appUrl: string;
 *   livekitUrl: string;
 *   httpsUrl: string | null;
 *   entry: import("./https-entry.mjs").HttpsEntry | null;
 *   keys: Keys;
 *   ports: Ports;
 *   children: Service[];
 *   livekit: Service;
 *   app: Service;
 *   director: Service | null;
 *   serviceEnv: Env;
 *   spawn: { livekit(): Service; app(): Service; director(): Service };
 *   stop(): Promise<void>;
 *   supervised?: boolean;
 * }} Stack  httpsUrl: https://127.0.0.1:<port> when started with `https`; spawn: one more process of each kind with this run's settings
 */

export const DEV_API_KEY = "cc-dev-key";
export const DEV_API_SECRET = "cc-dev-secret-embedded-default-not-for-production";

/**
 * A TCP port that is free right now on 127.0.0.1.
 * @returns {Promise<number>}
 */
export function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** @returns {Promise<number>} */
export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const sock = createSocket("udp4");
    sock.on("error", reject);
    sock.bind(0, "127.0.0.1", () => {
      const { port } = sock.address();
      sock.close(() => resolve(port));
    });
  });
}

/**
 * Free ports for one whole stack (app, LiveKit's HTTP, ICE/TCP and UDP, the director).
 * @returns {Promise<Ports>}
 */
export async function freeStackPorts() {
  return { app: await freeTcpPort(), http: await freeTcpPort(), tcp: await freeTcpPort(), udp: await freeUdpPort(), director: await freeTcpPort() };
}

/**
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function tcpPortInUse(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(true));
    srv.listen(port, host, () => srv.close(() => resolve(false)));
  });
}

/**
 * This machine's own key pair for the embedded default, made once and kept in the
 * git-ignored .cache/secrets (mode 0600). `npm start` serves LiveKit on the LAN, so
 * the public dev pair in lib/env.ts would let anyone on the network mint tokens.
 * @returns {Keys}
 */
export function machineKeys() {
  const dir = join(CACHE, "secrets");
  const file = join(dir, "livekit-keys.json");
  try {
    const k = JSON.parse(readFileSync(file, "utf8"));
    if (typeof k.key === "string" && typeof k.secret === "string" && k.secret.length >= 32) return k;
  } catch {
    // first start, or an unreadable file: make a new pair
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const k = { key: `cc-${randomBytes(6).toString("hex")}`, secret: randomBytes(32).toString("base64url") };
  writeFileSync(file, JSON.stringify(k), { mode: 0o600 });
  return k;
}

/**
 * Resolve the API key pair: the environment's, else this machine's; production needs its own.
 * @param {Env} [env]
 * @returns {Keys}
 */
export function resolveKeys(env = process.env) {
  const production = env.NODE_ENV === "production";
  if (env.LIVEKIT_API_KEY || env.LIVEKIT_API_SECRET) {
    const key = env.LIVEKIT_API_KEY ?? "";
    const secret = env.LIVEKIT_API_SECRET ?? "";
    if (!key || !secret) throw new Error("set both LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or neither");
    if (production && (key === DEV_API_KEY || secret === DEV_API_SECRET)) {
      throw new Error("refusing to start: the embedded default's dev key/secret are not allowed with NODE_ENV=production");
    }
    if (secret.length < 32) throw new Error("LIVEKIT_API_SECRET must be at least 32 characters");
    return { key, secret };
  }
  if (production) throw new Error("LIVEKIT_API_KEY and LIVEKIT_API_SECRET are required when NODE_ENV=production");
  return machineKeys();
}

/**
 * livekit.yaml with the ports, keys and webhook of this run.
 * @param {{ ports: { http: number; tcp: number; udp: number }; keys: Keys; webhookUrl: string; bind?: string[]; redisAddress?: string; env?: Env }} o
 * @returns {Promise<string>}
 */
export async function livekitConfig({ ports, keys, webhookUrl, bind, redisAddress, env = process.env }) {
  const YAML = await import("yaml");
  const base = YAML.parse(readFileSync(join(ROOT, "livekit.yaml"), "utf8"));
  // LiveKit counts hidden viewers, the director and Egress in its room limit, so size it
  // for the app's two caps (checked when a token is minted) plus those: viewers can
  // then never keep participants out. lib/token-guard.ts sets the same per room.
  const cap = (/** @type {string} */ name, /** @type {number} */ fallback) => (/^\d+$/.test(env[name] ?? "") ? Number(env[name]) : fallback);
  base.room = { ...base.room, max_participants: cap("MAX_PARTICIPANTS_PER_CHANNEL", 20) + cap("MAX_VIEWERS_PER_CHANNEL", 10) + 4 };
  base.port = ports.http;
  base.rtc = { ...base.rtc, tcp_port: ports.tcp, udp_port: ports.udp };
  if (bind) base.bind_addresses = bind;
  base.webhook = { ...base.webhook, api_key: keys.key, urls: [webhookUrl] };
  if (redisAddress) base.redis = { address: redisAddress }; // recording: Egress talks to LiveKit through Redis
  return YAML.stringify(base);
}

/**
 * Poll `check` every 100 ms (a throw counts as not yet) until it is true; resolves with
 * the ms it took. Rejects after `timeoutMs`, or at once when `child` exits first.
 * @param {() => Promise<boolean>} check
 * @param {{ timeoutMs: number; what: string; child?: import("node:child_process").ChildProcess | null }} o
 * @returns {Promise<number>}
 */
export function waitFor(check, { timeoutMs, what, child }) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (child && child.exitCode !== null) {
        reject(new Error(`${what} exited with code ${child.exitCode} before it was ready`));
        return;
      }
      try {
        if (await check()) {
          resolve(Date.now() - started);
          return;
        }
      } catch {
        // not ready yet
      }
      if (Date.now() - started > timeoutMs) reject(new Error(`${what} was not ready within ${timeoutMs} ms`));
      else setTimeout(tick, 100);
    };
    tick();
  });
}

/**
 * Spawn a child in its own process group, prefixing its output lines.
 * @param {string} name
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: Env; logFile?: string; quiet?: boolean; cwd?: string }} [opts]
 * @returns {Service}
 */
export function spawnService(name, cmd, args, { env, logFile, quiet, cwd = ROOT } = {}) {
  /** @type {Service} */
  const child = spawn(cmd, args, {
    cwd,
    env: /** @type {NodeJS.ProcessEnv | undefined} */ (env),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const file = logFile ? createWriteStream(logFile, { flags: "a" }) : null;
  // A log file that can't be written must not take the whole run down with it.
  file?.on("error", (err) => warn(`${name}: cannot write ${logFile}: ${err.message}`));
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let buf = "";
    stream.setEncoding("utf8");
    stream.on("data", (/** @type {string} */ chunk) => {
      file?.write(chunk);
      if (quiet) return;
      buf += chunk;
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) process.stdout.write(prefix + line + "\n");
    });
  }
  child.on("exit", () => file?.end());
  child.serviceName = name;
  child.startedAt = Date.now();
  return child;
}

/**
 * SIGTERM the child's whole group, then SIGKILL what is left after `graceMs`.
 * @param {import("node:child_process").ChildProcess | null | undefined} child
 * @returns {Promise<void>}
 */
export function stopService(child, graceMs = 5000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = (/** @type {NodeJS.Signals} */ sig) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      kill("SIGKILL"); // grandchildren that ignored SIGTERM
      resolve();
    });
    kill("SIGTERM");
  });
}

/**
 * startStack on ports picked free, retried on other free ports (3 tries): a port
 * found free can be taken before LiveKit binds it (a suite that just ran, an outgoing
 * connection's ephemeral port), and LiveKit then exits "address already in use".
 * @template {Ports} P
 * @param {() => Promise<P>} pickPorts
 * @param {(ports: P) => Parameters<typeof startStack>[0]} optionsFor
 * @returns {Promise<{ ports: P, stack: Awaited<ReturnType<typeof startStack>> }>}
 */
export async function startStackOnFreePorts(pickPorts, optionsFor, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    const ports = await pickPorts();
    try {
      return { ports, stack: await startStack(optionsFor(ports)) };
    } catch (err) {
      if (attempt >= attempts) throw err;
      warn(`the stack did not start (${err instanceof Error ? err.message : err}); trying other free ports`);
    }
  }
}

/**
 * Start the whole system. Returns handles and the URLs; `stop()` tears it all down.
 * `app: "start"` runs the production build (`next start`), `"dev"` runs `next dev`.
 * `https: { port, host, cert, key }` adds the HTTPS entry point (phones) in this process.
 * @param {{
 *   livekitBin: string; ports: Ports; appMode?: "start" | "dev"; quiet?: boolean; logDir?: string;
 *   extraEnv?: Record<string, string>; nodeIp?: string; bind?: string[]; withDirector?: boolean;
 *   https?: { port: number; host?: string; cert: string; key: string }; redisAddress?: string;
 * }} o
 * @returns {Promise<Stack>}
 */
export async function startStack({
  livekitBin,
  ports,
  appMode = "start",
  quiet = false,
  logDir = join(CACHE, "logs"),
  extraEnv = {},
  nodeIp,
  bind,
  withDirector = true,
  https,
  redisAddress,
}) {
  mkdirSync(logDir, { recursive: true });
  const keys = resolveKeys({ ...process.env, ...extraEnv });
  const appUrl = `http://127.0.0.1:${ports.app}`;
  const livekitUrl = `ws://127.0.0.1:${ports.http}`;
  const config = await livekitConfig({ ports, keys, webhookUrl: `${appUrl}/api/webhooks/livekit`, bind, redisAddress, env: { ...process.env, ...extraEnv } });
  const configPath = join(CACHE, "run", `livekit-${ports.http}.yaml`);
  mkdirSync(join(CACHE, "run"), { recursive: true });
  writeFileSync(configPath, config);

  /** @type {Service[]} */
  const children = [];
  /** @type {import("./https-entry.mjs").HttpsEntry | null} */
  let entry = null;
  // Children run in their own process groups, so they outlive a parent that dies
  // without stopping them. Whatever way this process exits, take them down with it.
  process.once("exit", () => {
    for (const c of children) {
      try {
        if (c.pid) process.kill(-c.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });
  const stop = async () => {
    const closing = entry?.close();
    entry = null;
    await Promise.all([closing, ...children.splice(0).reverse().map((c) => stopService(c))]);
  };

  const lkArgs = ["--config", configPath];
  if (nodeIp) lkArgs.push("--node-ip", nodeIp);
  // Each spawn* makes one more process of its kind with this run's settings: the
  // first ones below, and again whenever a supervisor (npm start) or a test restarts one.
  const spawnLivekit = () =>
    spawnService("livekit", livekitBin, lkArgs, {
      env: { ...process.env, LIVEKIT_KEYS: `${keys.key}: ${keys.secret}` },
      logFile: join(logDir, "livekit.log"),
      quiet: true, // its JSON logs go to the file; errors surface through the checks below
    });
  /** @type {Env} */
  let serviceEnv = {};
  const nextBin = join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const spawnApp = () =>
    spawnService(
      "app",
      process.execPath,
      [nextBin, appMode, "-p", String(ports.app), "-H", bind?.[0] === "0.0.0.0" ? "0.0.0.0" : "127.0.0.1"],
      { env: { ...serviceEnv, PORT: String(ports.app) }, logFile: join(logDir, "app.log"), quiet },
    );
  const spawnDirector = () => startDirector({ env: serviceEnv, ports, logDir, quiet });

  try {
    const livekit = spawnLivekit();
    children.push(livekit);
    const lkMs = await waitFor(async () => (await fetch(`http://127.0.0.1:${ports.http}/`)).ok, {
      timeoutMs: 20000,
      what: "livekit-server",
      child: livekit,
    });
    log(`livekit-server ready on :${ports.http} (${lkMs} ms; log: ${join(logDir, "livekit.log")})`);

    serviceEnv = {
      ...process.env,
      ...extraEnv,
      LIVEKIT_URL: livekitUrl,
      LIVEKIT_API_KEY: keys.key,
      LIVEKIT_API_SECRET: keys.secret,
      NEXT_TELEMETRY_DISABLED: "1",
      // The user's NODE_ENV was checked above (resolveKeys); `next start` sets
      // NODE_ENV=production on its own, so tell the app this is the embedded default.
      CC_EMBEDDED: process.env.NODE_ENV === "production" ? "0" : "1",
    };

    const app = spawnApp();
    children.push(app);

    /** @type {Service | null} */
    let director = null;
    if (withDirector) {
      director = spawnDirector();
      children.push(director);
    }

    const appMs = await waitFor(async () => (await fetch(`${appUrl}/status`)).status === 200, {
      timeoutMs: appMode === "dev" ? 120000 : 30000,
      what: "the app",
      child: app,
    });
    log(`app ready on :${ports.app} (${appMs} ms)`);
    if (director) {
      const dMs = await waitFor(async () => (await fetch(`http://127.0.0.1:${ports.director}/`)).ok, {
        timeoutMs: 30000,
        what: "the director",
        child: director,
      });
      log(`director registered with livekit (${dMs} ms)`);
    }

    /** @type {string | null} */
    let httpsUrl = null;
    if (https) {
      entry = await startHttpsEntry({ ...https, appPort: ports.app, livekitPort: ports.http, apiSecret: keys.secret });
      httpsUrl = `https://127.0.0.1:${entry.port}`;
      log(`HTTPS entry point on :${entry.port} (app + LiveKit signalling, one origin)`);
    }

    const spawn = { livekit: spawnLivekit, app: spawnApp, director: spawnDirector };
    return { appUrl, livekitUrl, httpsUrl, entry, keys, ports, children, livekit, app, director, stop, serviceEnv, spawn };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Restart each of the stack's processes when it crashes (scripts/lib/supervise.mjs):
 * `npm start` does this for its whole run, `npm test` for its fault tests. The stack's
 * handles (`stack.livekit`, `stack.children`, …) follow the new processes, so
 * `stack.stop()` stops the current ones. Stop the supervisors before stopping the stack.
 * @param {Stack} stack
 * @param {{ logDir: string; log?: (line: string) => void }} o
 */
export function superviseStack(stack, { logDir, log = warn }) {
  return /** @type {const} */ (["livekit", "app", "director"])
    .filter((name) => stack[name])
    .map((name) =>
      supervise({
        name,
        child: stack[name],
        start: stack.spawn[name],
        onStart: (next) => {
          const idx = stack.children.indexOf(/** @type {Service} */ (stack[name]));
          if (idx >= 0) stack.children[idx] = next;
          else stack.children.push(next);
          stack[name] = next;
        },
        // A crashed child's own children (the director's job processes, next's
        // workers) must not linger beside its successor: kill its process group.
        onExit: (old) => {
          try {
            if (old.pid) process.kill(-old.pid, "SIGKILL");
          } catch {
            // nothing left
          }
        },
        log: (line) => log(`${line}. Log: ${join(logDir, `${name}.log`)}`),
      }),
    );
}

/**
 * The director, compiled (see build-director.mjs); its health server answers on ports.director.
 * @param {{ env: Env; ports: Ports; logDir: string; quiet?: boolean }} o
 */
export function startDirector({ env, ports, logDir, quiet }) {
  mkdirSync(logDir, { recursive: true });
  const entry = buildDirector();
  return spawnService("director", process.execPath, ["--enable-source-maps", entry], {
    env: { ...env, DIRECTOR_HTTP_PORT: String(ports.director) },
    logFile: join(logDir, "director.log"),
    quiet,
  });
}

export { warn };
