// Bootstrap shared by `npm start` and `npm test`. Node built-ins only: this runs on a
// fresh clone before `npm install` has put anything in node_modules.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, accessSync, constants } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CACHE = join(ROOT, ".cache");
// The pin: tools/livekit-server/go.mod requires the same version (a unit test checks).
export const LIVEKIT_VERSION = "1.13.5";
const LIVEKIT_MODULE = "github.com/livekit/livekit-server/cmd/server";
const BUILT_LIVEKIT = join(CACHE, "bin", "livekit-server");

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const log = (msg) => console.log(`${paint("36", "[cc]")} ${msg}`);
export const warn = (msg) => console.log(`${paint("33", "[cc] !")} ${msg}`);
export const fail = (msg) => {
  console.error(`${paint("31", "[cc] ✗")} ${msg}`);
  process.exit(1);
};

/** Run a command with inherited output; resolves with its exit code. */
export function run(cmd, args, opts = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { stdio: "inherit", cwd: ROOT, ...opts });
    child.on("error", (err) => {
      warn(`${cmd}: ${err.message}`);
      res(127);
    });
    child.on("exit", (code, signal) => res(code ?? (signal ? 128 : 1)));
  });
}

export function which(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

function depsHash() {
  const h = createHash("sha256");
  for (const f of ["package.json", "package-lock.json"]) {
    const p = join(ROOT, f);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest("hex");
}

/** npm install when node_modules is missing or package.json/lock changed since. */
export async function ensureDependencies() {
  const marker = join(ROOT, "node_modules", ".cc-deps-hash");
  const want = depsHash();
  if (process.env.CC_SKIP_INSTALL === "1" && existsSync(join(ROOT, "node_modules"))) {
    // For parallel checkouts sharing one node_modules: installing from one checkout's
    // package.json would prune packages another one added.
    log("npm packages: install skipped (CC_SKIP_INSTALL=1)");
  } else if (existsSync(marker) && readFileSync(marker, "utf8") === want) {
    log("npm packages: up to date");
  } else {
    log("npm packages: installing (first run takes a minute or two)…");
    const code = await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]);
    if (code !== 0) fail("npm install failed (see above). Check your network access to the npm registry.");
    writeFileSync(marker, want);
  }
  // npm 11 may skip install scripts; check that the native parts we rely on load.
  const check = spawnSync(
    process.execPath,
    ["-e", "require('@livekit/rtc-node'); require('esbuild').transformSync('let a: number = 1', { loader: 'ts' });"],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (check.status !== 0) {
    fail(
      `a native package did not load after npm install:\n${check.stderr.trim()}\n` +
        "Try: rm -rf node_modules && npm install",
    );
  }
}

function versionOf(bin) {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const m = /(\d+\.\d+\.\d+)/.exec(r.stdout);
  return m ? m[1] : null;
}

/**
 * Find livekit-server: LIVEKIT_SERVER_BIN, then PATH, then our build, then build it
 * now from the Go tools module in tools/livekit-server (pinned v1.13.5).
 */
export async function ensureLivekitServer() {
  const fromEnv = process.env.LIVEKIT_SERVER_BIN;
  if (fromEnv) {
    const v = versionOf(fromEnv);
    if (!v) fail(`LIVEKIT_SERVER_BIN=${fromEnv} does not run (\`${fromEnv} --version\` failed).`);
    log(`livekit-server ${v} (LIVEKIT_SERVER_BIN)`);
    return fromEnv;
  }
  const onPath = which("livekit-server");
  if (onPath) {
    const v = versionOf(onPath);
    if (v) {
      log(`livekit-server ${v} (${onPath})`);
      if (v !== LIVEKIT_VERSION) warn(`this project is tested with livekit-server ${LIVEKIT_VERSION}`);
      return onPath;
    }
  }
  if (existsSync(BUILT_LIVEKIT)) {
    const built = versionOf(BUILT_LIVEKIT);
    if (built === LIVEKIT_VERSION) {
      log(`livekit-server ${LIVEKIT_VERSION} (built, ${BUILT_LIVEKIT})`);
      return BUILT_LIVEKIT;
    }
    // A build of an earlier pin (or a broken one) is replaced, never run.
    warn(`${BUILT_LIVEKIT} is ${built ? `v${built}` : "not runnable"}, but v${LIVEKIT_VERSION} is pinned: building it again`);
  }
  const go = which("go");
  if (!go) {
    fail(
      "livekit-server was not found and Go is not installed to build it. Install one of:\n" +
        "    • Go 1.24+ (https://go.dev/dl/), then run this command again: it builds the server\n" +
        "    • macOS: brew install livekit\n" +
        "    • Linux: curl -sSL https://get.livekit.io | bash\n" +
        "    • a container: docker run --rm -p 7880:7880 -p 7881:7881 -p 7882:7882/udp livekit/livekit-server:v1.13.5 --dev\n" +
        "  or point LIVEKIT_SERVER_BIN at an existing livekit-server binary.",
    );
  }
  log(`livekit-server: building v${LIVEKIT_VERSION} with Go (once; about 3 minutes on 2 cores)…`);
  mkdirSync(dirname(BUILT_LIVEKIT), { recursive: true });
  const code = await run(go, ["build", "-o", BUILT_LIVEKIT, LIVEKIT_MODULE], {
    cwd: join(ROOT, "tools", "livekit-server"),
    env: { ...process.env, GOFLAGS: "-mod=mod" },
  });
  if (code !== 0 || versionOf(BUILT_LIVEKIT) !== LIVEKIT_VERSION) {
    fail("building livekit-server failed (see above). Set LIVEKIT_SERVER_BIN to a livekit-server binary instead.");
  }
  log(`livekit-server ${LIVEKIT_VERSION} built at ${BUILT_LIVEKIT}`);
  return BUILT_LIVEKIT;
}

function isDebianLikeRoot() {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  return existsSync("/etc/debian_version") && which("apt-get") !== null;
}

let aptUpdated = false;
async function aptInstall(pkgs) {
  if (!aptUpdated) {
    log("apt-get update…");
    await run("apt-get", ["update", "-qq"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    aptUpdated = true;
  }
  log(`apt-get install ${pkgs.join(" ")}…`);
  return run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

/** The Chromium the tests drive: PLAYWRIGHT_CHROMIUM_PATH, /usr/bin/chromium, or apt. */
export async function ensureChromium() {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const c of candidates) {
    if (c && existsSync(c)) {
      log(`browser: ${c}`);
      return c;
    }
  }
  if (isDebianLikeRoot()) {
    if ((await aptInstall(["chromium", "fonts-liberation"])) === 0 && existsSync("/usr/bin/chromium")) {
      log("browser: /usr/bin/chromium (installed with apt)");
      return "/usr/bin/chromium";
    }
  }
  fail(
    "no Chromium found for the end-to-end tests. Install one and/or set PLAYWRIGHT_CHROMIUM_PATH:\n" +
      "    • Debian/Ubuntu: sudo apt-get install chromium\n" +
      "    • macOS: brew install --cask chromium\n" +
      "    • or any Chrome/Chromium: export PLAYWRIGHT_CHROMIUM_PATH=/path/to/chrome",
  );
}

/** redis-server for `npm run test:cluster` (LiveKit's multi-node mode): PATH, or apt as root. */
export async function ensureRedis() {
  const found = which("redis-server");
  if (found) {
    log(`redis-server: ${found}`);
    return found;
  }
  if (isDebianLikeRoot()) {
    await aptInstall(["redis-server"]);
    const installed = which("redis-server");
    if (installed) {
      log(`redis-server: ${installed} (installed with apt)`);
      return installed;
    }
  }
  fail(
    "redis-server was not found (the cluster test runs LiveKit's multi-node mode on Redis). Install it:\n" +
      "    • Debian/Ubuntu: sudo apt-get install redis-server\n" +
      "    • macOS: brew install redis\n" +
      "  then run npm run test:cluster again.",
  );
}

/** espeak-ng and sox make the lab's speech and noise fixtures. */
export async function ensureSpeechTools({ required }) {
  const missing = ["espeak-ng", "sox"].filter((t) => !which(t));
  if (missing.length === 0) return true;
  if (isDebianLikeRoot()) {
    await aptInstall(missing.map((t) => (t === "sox" ? "sox" : t)));
    if (["espeak-ng", "sox"].every((t) => which(t))) return true;
  }
  const msg = `missing ${missing.join(" and ")} (speech and noise fixtures). Install: apt-get install espeak-ng sox, or brew install espeak-ng sox`;
  if (required) fail(msg);
  warn(msg);
  return false;
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

/** `next build` when the app's sources are newer than the last build. */
export async function ensureBuild() {
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
