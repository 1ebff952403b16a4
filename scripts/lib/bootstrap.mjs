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
    // onnxruntime-node runs the voice model (lib/speech); its CPU binaries ship in the
    // package, and .npmrc skips its install script (which would download optional files).
    ["-e", "require('@livekit/rtc-node'); require('onnxruntime-node'); require('esbuild').transformSync('let a: number = 1', { loader: 'ts' });"],
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

/**
 * Firefox for the Firefox end-to-end tests: FIREFOX_PATH, Debian's firefox-esr, a
 * `firefox` on PATH, or `apt-get install firefox-esr` as root on Debian/Ubuntu. The
 * tests drive the stock browser over WebDriver BiDi (puppeteer-core); Playwright's
 * Firefox is a patched build that can't be installed from a package.
 */
export async function ensureFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) fail(`FIREFOX_PATH=${fromEnv} does not exist.`);
    log(`firefox: ${fromEnv} (FIREFOX_PATH)`);
    return fromEnv;
  }
  const found = () => ["/usr/bin/firefox-esr", which("firefox-esr"), which("firefox")].find((c) => c && existsSync(c)) ?? null;
  let path = found();
  if (!path && isDebianLikeRoot()) {
    await aptInstall(["firefox-esr", "fonts-liberation"]);
    path = found();
  }
  if (!path) {
    fail(
      "no Firefox found for the Firefox end-to-end tests. Install one and/or set FIREFOX_PATH:\n" +
        "    • Debian: sudo apt-get install firefox-esr\n" +
        "    • Ubuntu: Mozilla's firefox-esr or firefox .deb (the snap can't be driven from here)\n" +
        "    • or any Firefox ≥ 128: export FIREFOX_PATH=/path/to/firefox",
    );
  }
  log(`firefox: ${path}`);
  return path;
}

const MINIBROWSER_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/libexec"];

/** WebKitGTK's MiniBrowser, which WebKitWebDriver starts (it ships with libwebkit2gtk). */
function findMiniBrowser() {
  if (process.env.WEBKIT_MINIBROWSER_PATH) return process.env.WEBKIT_MINIBROWSER_PATH;
  for (const dir of MINIBROWSER_DIRS) {
    for (const api of ["webkitgtk-6.0", "webkit2gtk-4.1", "webkit2gtk-4.0"]) {
      const p = join(dir, api, "MiniBrowser");
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/**
 * WebKit for the WebKit end-to-end tests: WebKitWebDriver (WEBKIT_DRIVER_PATH, or
 * Debian's webkit2gtk-driver) drives WebKitGTK's MiniBrowser, which needs an X
 * display: Xvfb through xvfb-run (which needs xauth), Mesa's software GL driver, and a
 * private D-Bus session (dbus-run-session) so WebKit's processes never look for, or
 * wait on, a desktop session bus that a fresh machine or CI doesn't have. Installed
 * with apt as root on Debian/Ubuntu; otherwise says what to install.
 */
export async function ensureWebKit() {
  const tools = () => ({
    driver: process.env.WEBKIT_DRIVER_PATH || which("WebKitWebDriver"),
    miniBrowser: findMiniBrowser(),
    xvfbRun: which("xvfb-run"),
    xauth: which("xauth"),
    dbusRunSession: which("dbus-run-session"),
  });
  let t = tools();
  if (process.env.WEBKIT_DRIVER_PATH && !existsSync(process.env.WEBKIT_DRIVER_PATH)) {
    fail(`WEBKIT_DRIVER_PATH=${process.env.WEBKIT_DRIVER_PATH} does not exist.`);
  }
  const missing = () =>
    [
      !t.driver || !t.miniBrowser ? "webkit2gtk-driver" : null,
      !t.xvfbRun ? "xvfb" : null,
      !t.xauth ? "xauth" : null,
      !t.dbusRunSession ? "dbus" : null,
    ].filter((p) => p !== null);
  // Mesa's software GL driver: under Xvfb there is no GPU, and without it MiniBrowser
  // never opens a window (libwebkit2gtk only recommends it). Looked for on Debian only.
  const softwareGl = () => MINIBROWSER_DIRS.some((dir) => existsSync(join(dir, "dri", "swrast_dri.so")));
  if ((missing().length > 0 || !softwareGl()) && isDebianLikeRoot()) {
    // --no-install-recommends skips xauth (xvfb only recommends it), the GL driver and
    // fonts: name them.
    await aptInstall([...missing(), ...(softwareGl() ? [] : ["libgl1-mesa-dri"]), "fonts-liberation"]);
    t = tools();
  }
  if (missing().length > 0) {
    fail(
      `missing ${missing().join(", ")} for the WebKit end-to-end tests. Install:\n` +
        `    • Debian/Ubuntu: sudo apt-get install ${missing().join(" ")}\n` +
        "    • or set WEBKIT_DRIVER_PATH to a WebKitWebDriver (and WEBKIT_MINIBROWSER_PATH to its MiniBrowser)",
    );
  }
  log(`webkit: ${t.driver} with ${t.miniBrowser} (under xvfb-run and dbus-run-session)`);
  return { driver: t.driver, miniBrowser: t.miniBrowser, xvfbRun: t.xvfbRun, dbusRunSession: t.dbusRunSession };
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

export const LK_VERSION = "2.18.2";
const BUILT_LK = join(CACHE, "bin", "lk");

/**
 * LiveKit's CLI `lk`, for benchmarks' load (`lk perf load-test`): LK_BIN, then a binary
 * built once from the pinned tools module tools/lk. Two things differ from a plain
 * `go build`: livekit/protocol is replaced by the tag v1.50.0 (the module proxy refuses
 * the pseudo-version lk's go.mod names; v1.51+ changed an API lk's SDK uses), and it
 * links the system PortAudio (-tags portaudio_system: the module's vendored PortAudio
 * sources are a git submodule, absent from the module download), so Debian's
 * portaudio19-dev is installed first.
 */
export async function ensureLk() {
  const lkVersion = (bin) => {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    return r.status === 0 ? (/(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] ?? null) : null;
  };
  if (process.env.LK_BIN) {
    if (!lkVersion(process.env.LK_BIN)) fail(`LK_BIN=${process.env.LK_BIN} does not run.`);
    return process.env.LK_BIN;
  }
  if (existsSync(BUILT_LK) && lkVersion(BUILT_LK) === LK_VERSION) return BUILT_LK;
  const go = which("go");
  if (!go) fail("lk (LiveKit's CLI) is needed for this benchmark: install Go 1.26+ so it can be built, or set LK_BIN.");
  const hasPortaudio = spawnSync("pkg-config", ["--exists", "portaudio-2.0"]).status === 0;
  if (!hasPortaudio) {
    if (isDebianLikeRoot()) await aptInstall(["portaudio19-dev", "pkg-config"]);
    else fail("lk links PortAudio: install its development files (Debian/Ubuntu: apt-get install portaudio19-dev pkg-config; macOS: brew install portaudio pkg-config), or set LK_BIN.");
  }
  log(`lk: building v${LK_VERSION} with Go (once; 10+ minutes on 2 cores: it compiles WebRTC's audio processing)…`);
  mkdirSync(dirname(BUILT_LK), { recursive: true });
  const code = await run(go, ["build", "-tags", "portaudio_system", "-o", BUILT_LK, "github.com/livekit/livekit-cli/v2/cmd/lk"], {
    cwd: join(ROOT, "tools", "lk"),
    env: { ...process.env, GOFLAGS: "-mod=mod" },
  });
  if (code !== 0 || lkVersion(BUILT_LK) !== LK_VERSION) fail("building lk failed (see above). Set LK_BIN to an lk binary instead.");
  log(`lk ${LK_VERSION} built at ${BUILT_LK}`);
  return BUILT_LK;
}

// ---------------------------------------------------------------------------------
// LiveKit Egress (recording; `npm start -- --record`, `npm run test:egress`)

export const EGRESS_VERSION = "1.14.0";
const EGRESS_MODULE = "github.com/livekit/egress";
const BUILT_EGRESS = join(CACHE, "bin", "egress");
const BUILT_EGRESS_STAMP = join(CACHE, "bin", "egress.version");
/** Debian/Ubuntu packages Egress builds against (cgo, GStreamer 1.22+). */
export const EGRESS_BUILD_PACKAGES = [
  "gcc",
  "pkg-config",
  "libgstreamer1.0-dev",
  "libgstreamer-plugins-base1.0-dev",
  "libgstreamer-plugins-bad1.0-dev",
];
/** ...and what it runs with: Redis (its bus to LiveKit), Chromium in Xvfb with PulseAudio, the GStreamer plugins. ffmpeg reads recordings back. */
export const EGRESS_RUNTIME_PACKAGES = [
  "redis-server",
  "chromium",
  "fonts-liberation",
  "pulseaudio",
  "xvfb",
  "gstreamer1.0-plugins-base",
  "gstreamer1.0-plugins-good",
  "gstreamer1.0-plugins-bad",
  "gstreamer1.0-plugins-ugly",
  "gstreamer1.0-libav",
  "ffmpeg",
];

function dpkgMissing(pkgs) {
  if (!which("dpkg-query")) return pkgs;
  return pkgs.filter((p) => {
    const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", p], { encoding: "utf8" });
    return r.status !== 0 || !r.stdout.includes("install ok installed");
  });
}

/** Install Debian packages that are missing (as root on Debian/Ubuntu), else fail saying exactly what to install. */
async function ensureDebPackages(pkgs, what) {
  const missing = dpkgMissing(pkgs);
  if (missing.length === 0) return;
  if (isDebianLikeRoot() && (await aptInstall(missing)) === 0 && dpkgMissing(missing).length === 0) return;
  fail(
    `${what} needs these packages, which are not installed: ${missing.join(" ")}\n` +
      `    • Debian/Ubuntu: sudo apt-get install --no-install-recommends ${missing.join(" ")}\n` +
      "    • elsewhere: Redis, Chromium, PulseAudio, Xvfb, ffmpeg and GStreamer 1.22+ with the good, bad, ugly and libav plugins",
  );
}

/** Redis, Chromium, PulseAudio, Xvfb, the GStreamer plugins and ffmpeg, installed with apt when missing. */
export async function ensureEgressRuntime() {
  await ensureDebPackages(EGRESS_RUNTIME_PACKAGES, "recording (LiveKit Egress)");
}

function egressVersionOf(bin) {
  // Egress has no --version flag; its CLI prints the version with --help (urfave/cli).
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 10000 });
  const m = /(\d+\.\d+\.\d+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? m[1] : null;
}

/**
 * Find LiveKit Egress: EGRESS_BIN, then `egress` on PATH, then our build, then build it
 * now (once) from the Go tools module in tools/egress (pinned; go.mod carries the
 * gst-go replace). The module's embedded `templates` folder is a build output of
 * Egress's own React templates, absent from the module zip: we build from a copy with
 * placeholder content there, since our /egress page replaces those templates.
 */
export async function ensureEgress({ required = true } = {}) {
  // Not required (npm run test:egress): say why and return null instead of exiting.
  const giveUp = (msg) => {
    if (required) fail(msg);
    warn(msg);
    return null;
  };
  const fromEnv = process.env.EGRESS_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) fail(`EGRESS_BIN=${fromEnv} does not exist.`);
    log(`egress ${egressVersionOf(fromEnv) ?? "(version unknown)"} (EGRESS_BIN)`);
    return fromEnv;
  }
  const onPath = which("egress");
  if (onPath) {
    log(`egress ${egressVersionOf(onPath) ?? "(version unknown)"} (${onPath})`);
    return onPath;
  }
  if (existsSync(BUILT_EGRESS) && existsSync(BUILT_EGRESS_STAMP) && readFileSync(BUILT_EGRESS_STAMP, "utf8") === EGRESS_VERSION) {
    log(`egress ${EGRESS_VERSION} (built, ${BUILT_EGRESS})`);
    return BUILT_EGRESS;
  }
  const go = which("go");
  if (!go) {
    return giveUp(
      "LiveKit Egress was not found and Go is not installed to build it. Install Go 1.26+ (https://go.dev/dl/)\n" +
        "  and run this command again (it builds Egress once), or point EGRESS_BIN at an egress binary.",
    );
  }
  const t0 = Date.now();
  log(`egress: building v${EGRESS_VERSION} with Go (once; several minutes on 2 cores)…`);
  const toolsDir = join(ROOT, "tools", "egress");
  const goEnv = { ...process.env, GOFLAGS: "-mod=mod" };
  const dl = spawnSync(go, ["mod", "download", "-json", `${EGRESS_MODULE}@v${EGRESS_VERSION}`], {
    cwd: toolsDir,
    env: goEnv,
    encoding: "utf8",
  });
  let info = {};
  try {
    info = JSON.parse(dl.stdout || "{}");
  } catch {
    // reported below
  }
  if (dl.status !== 0 || !info.Dir) {
    return giveUp(
      `could not download ${EGRESS_MODULE}@v${EGRESS_VERSION} from the Go module proxy:\n` +
        `  ${(info.Error || dl.stderr || "").trim()}\n` +
        "  Point EGRESS_BIN at an egress binary (LiveKit's egress image has one at /bin/egress) instead.",
    );
  }
  await ensureDebPackages(EGRESS_BUILD_PACKAGES, "building LiveKit Egress");
  // A writable copy of the module source, with placeholders where it embeds build outputs.
  const src = join(CACHE, "egress-src", EGRESS_VERSION);
  await run("rm", ["-rf", src]);
  mkdirSync(dirname(src), { recursive: true });
  if ((await run("cp", ["-r", info.Dir, src])) !== 0) fail(`could not copy ${info.Dir} to ${src}`);
  await run("chmod", ["-R", "u+w", src]);
  for (const dir of embeddedDirs(src)) {
    if (existsSync(dir) && readdirSync(dir).length > 0) continue;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>placeholder</title>\n");
  }
  mkdirSync(dirname(BUILT_EGRESS), { recursive: true });
  // The replace in tools/egress/go.mod is Egress's own; its go.mod carries it too.
  const code = await run("nice", ["-n", "10", go, "build", "-o", BUILT_EGRESS, "./cmd/server"], { cwd: src, env: goEnv });
  if (code !== 0 || !existsSync(BUILT_EGRESS)) {
    return giveUp("building LiveKit Egress failed (see above). Point EGRESS_BIN at an egress binary instead.");
  }
  writeFileSync(BUILT_EGRESS_STAMP, EGRESS_VERSION);
  log(`egress ${EGRESS_VERSION} built at ${BUILT_EGRESS} in ${Math.round((Date.now() - t0) / 1000)} s`);
  return BUILT_EGRESS;
}

/** Folders named by `//go:embed` lines in a Go source tree (`dir`, `dir/*`, `all:dir`). */
function embeddedDirs(root) {
  const dirs = [];
  const visit = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "testdata" && !e.name.startsWith(".") && e.name !== "node_modules") visit(p);
      } else if (e.name.endsWith(".go") && !e.name.endsWith("_test.go")) {
        for (const m of readFileSync(p, "utf8").matchAll(/^\/\/go:embed\s+(.+)$/gm)) {
          for (const pat of m[1].trim().split(/\s+/)) {
            const clean = pat.replace(/^all:/, "").replace(/^"|"$/g, "");
            const glob = clean.search(/[*?[]/);
            // `templates` or `templates/*`: the folder (an index.html matches either);
            // a plain file name is left alone.
            if (glob >= 0) dirs.push(join(dir, clean.slice(0, Math.max(0, clean.lastIndexOf("/", glob)))));
            else if (!/\.[a-z0-9]+$/i.test(clean)) dirs.push(join(dir, clean));
          }
        }
      }
    }
  };
  visit(root);
  return dirs;
}
