// @ts-check
// Bootstrap shared by `npm start` and `npm test`. Node built-ins only: this runs on a
// fresh clone before `npm install` has put anything in node_modules.
import { spawn, spawnSync } from "node:child_process";
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
const paint = (/** @type {string} */ code, /** @type {string} */ s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const log = (/** @type {string} */ msg) => console.log(`${paint("36", "[cc]")} ${msg}`);
export const warn = (/** @type {string} */ msg) => console.log(`${paint("33", "[cc] !")} ${msg}`);
/** @type {(msg: string) => never} */
export const fail = (msg) => {
  console.error(`${paint("31", "[cc] ✗")} ${msg}`);
  process.exit(1);
};

/**
 * Run a command with inherited output; resolves with its exit code.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import("node:child_process").SpawnOptions} [opts]
 * @returns {Promise<number>}
 */
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

/**
 * @param {string} name
 * @returns {string | null}
 */
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

/**
 * Does node_modules need installing from the lock? Yes when npm has not installed it
 * (no node_modules/.package-lock.json, which npm writes on every install) or when
 * package-lock.json or package.json changed after that install (a pull, a branch switch).
 * @param {string} [root]
 */
export function dependenciesStale(root = ROOT) {
  const mtime = (/** @type {string} */ f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : null);
  const installed = mtime(join("node_modules", ".package-lock.json"));
  if (installed === null) return true;
  return (mtime("package-lock.json") ?? 0) > installed || (mtime("package.json") ?? 0) > installed;
}

/**
 * `npm ci` when node_modules is missing or older than the lock: it installs exactly
 * what package-lock.json says (every platform's optional packages are in it) and never
 * rewrites it, so a fresh clone's tree stays clean.
 */
export async function ensureDependencies() {
  if (process.env.CC_SKIP_INSTALL === "1" && existsSync(join(ROOT, "node_modules"))) {
    // For parallel checkouts sharing one node_modules: installing from one checkout's
    // package.json would prune packages another one added.
    log("npm packages: install skipped (CC_SKIP_INSTALL=1)");
  } else if (!dependenciesStale()) {
    log("npm packages: up to date");
  } else {
    log("npm packages: installing exactly package-lock.json with npm ci (first run takes a minute or two)…");
    const code = await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
    if (code !== 0) {
      fail(
        "npm ci failed (see above). Check your network access to the npm registry; " +
          "if you changed package.json, run npm install once to update package-lock.json.",
      );
    }
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
        "Try: rm -rf node_modules && npm ci",
    );
  }
}

/** @param {string} bin */
function versionOf(bin) {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const m = /(\d+\.\d+\.\d+)/.exec(r.stdout);
  return m?.[1] ?? null;
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
/** @param {string[]} pkgs */
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

/**
 * espeak-ng and sox make the lab's speech and noise fixtures.
 * @param {{ required: boolean }} opts
 */
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

/** @param {string[]} paths */
function newestMtime(paths) {
  let newest = 0;
  const visit = (/** @type {string} */ p) => {
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

const BUILT_LOADGEN = join(CACHE, "bin", "loadgen");
/** Bump when the recipe of the benchmark's media below changes: they are made again. */
const BENCH_MEDIA_RECIPE = "1";

/**
 * The benchmarks' load generator (tools/loadgen: LiveKit's Go SDK publishing pre-encoded
 * media and subscribing, no encoding), built with Go when its sources are newer than the
 * binary, and its media made once with ffmpeg (installed with apt when missing):
 *  - speech.ogg: the three spoken fixtures with short pauses over a quiet room, Opus;
 *  - quiet.ogg: a quiet room only (a silent microphone of a real meeting), Opus;
 *  - low.h264 / high.h264: a moving test picture, 320×180 15 fps 150 kbps and
 *    640×360 20 fps 400 kbps (the two simulcast layers a browser's camera sends).
 * Opus is one packet per Ogg page (20 ms), as the generator sends a page per packet.
 * @returns {Promise<{ bin: string; media: { speech: string; quiet: string; low: string; high: string } }>}
 */
export async function ensureLoadgen() {
  const src = join(ROOT, "tools", "loadgen");
  if (!existsSync(BUILT_LOADGEN) || statSync(BUILT_LOADGEN).mtimeMs < newestMtime(["tools/loadgen"])) {
    const go = which("go");
    if (!go) fail("the benchmark's load generator is built with Go: install Go 1.26+.");
    log("loadgen: building tools/loadgen with Go (LiveKit's Go SDK; a minute the first time)…");
    mkdirSync(dirname(BUILT_LOADGEN), { recursive: true });
    const code = await run(go, ["build", "-o", BUILT_LOADGEN, "."], { cwd: src, env: { ...process.env, GOFLAGS: "-mod=mod" } });
    if (code !== 0) fail("building tools/loadgen failed (see above)");
  }
  const dir = join(CACHE, "bench-media");
  const media = { speech: join(dir, "speech.ogg"), quiet: join(dir, "quiet.ogg"), low: join(dir, "low.h264"), high: join(dir, "high.h264") };
  const stamp = join(dir, "recipe");
  const fresh = Object.values(media).every((f) => existsSync(f)) && existsSync(stamp) && readFileSync(stamp, "utf8") === BENCH_MEDIA_RECIPE;
  if (fresh) return { bin: BUILT_LOADGEN, media };
  if (!which("ffmpeg")) {
    if (isDebianLikeRoot()) await aptInstall(["ffmpeg"]);
    if (!which("ffmpeg")) fail("the benchmark's media are made with ffmpeg: apt-get install ffmpeg (or brew install ffmpeg).");
  }
  log("loadgen: making the benchmark's speech, quiet-room and camera files with ffmpeg…");
  mkdirSync(dir, { recursive: true });
  const fx = (/** @type {string} */ n) => join(ROOT, "tests", "fixtures", "audio", n);
  const room = "anoisesrc=color=pink:amplitude=0.0008:sample_rate=48000";
  const opus = ["-ac", "1", "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20", "-page_duration", "20000"];
  /** @type {string[][]} */
  const jobs = [
    [
      "-i", fx("speech-alice.wav"), "-i", fx("speech-bob.wav"), "-i", fx("speech-carol.wav"),
      "-filter_complex",
      `[0]apad=pad_dur=0.4[a];[1]apad=pad_dur=0.4[b];[2]apad=pad_dur=0.4[c];[a][b][c]concat=n=3:v=0:a=1,aresample=48000[s];${room}[n];[s][n]amix=inputs=2:duration=first:normalize=0`,
      ...opus, media.speech,
    ],
    ["-f", "lavfi", "-i", `${room}:duration=10`, ...opus, media.quiet],
    ...[
      { size: "320x180", fps: 15, kbps: 150, out: media.low },
      { size: "640x360", fps: 20, kbps: 400, out: media.high },
    ].map((v) => [
      "-f", "lavfi", "-i", `testsrc2=size=${v.size}:rate=${v.fps}`, "-t", "20",
      "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
      "-b:v", `${v.kbps}k`, "-maxrate", `${v.kbps}k`, "-bufsize", `${2 * v.kbps}k`,
      "-x264-params", `keyint=${2 * v.fps}:scenecut=0:bframes=0`, "-bsf:v", "h264_mp4toannexb", "-f", "h264", v.out,
    ]),
  ];
  for (const args of jobs) {
    const code = await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args]);
    if (code !== 0) fail("ffmpeg could not make the benchmark's media (see above)");
  }
  writeFileSync(stamp, BENCH_MEDIA_RECIPE);
  return { bin: BUILT_LOADGEN, media };
}

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

/** @param {string[]} pkgs */
function dpkgMissing(pkgs) {
  if (!which("dpkg-query")) return pkgs;
  return pkgs.filter((p) => {
    const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", p], { encoding: "utf8" });
    return r.status !== 0 || !r.stdout.includes("install ok installed");
  });
}

/**
 * Install Debian packages that are missing (as root on Debian/Ubuntu), else fail saying exactly what to install.
 * @param {string[]} pkgs
 * @param {string} what
 */
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

/** @param {string} bin */
function egressVersionOf(bin) {
  // Egress has no --version flag; its CLI prints the version with --help (urfave/cli).
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 10000 });
  const m = /(\d+\.\d+\.\d+)/.exec(`${r.stdout}${r.stderr}`);
  return m?.[1] ?? null;
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
  const giveUp = (/** @type {string} */ msg) => {
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
  /** @type {{ Dir?: string; Error?: string }} */
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

/**
 * Folders named by `//go:embed` lines in a Go source tree (`dir`, `dir/*`, `all:dir`).
 * @param {string} root
 */
function embeddedDirs(root) {
  /** @type {string[]} */
  const dirs = [];
  const visit = (/** @type {string} */ dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "testdata" && !e.name.startsWith(".") && e.name !== "node_modules") visit(p);
      } else if (e.name.endsWith(".go") && !e.name.endsWith("_test.go")) {
        for (const m of readFileSync(p, "utf8").matchAll(/^\/\/go:embed\s+(.+)$/gm)) {
          for (const pat of (m[1] ?? "").trim().split(/\s+/)) {
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
