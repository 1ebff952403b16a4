#!/usr/bin/env node
// `npm test`: every test on a fresh clone. Bootstraps (npm install, livekit-server,
// Chromium, Firefox, WebKitGTK, espeak-ng/sox), then runs in order: typecheck, lint,
// unit, build, integration (real livekit-server + director + app on free ports), end
// to end (Playwright + Chromium against the same stack), then the same stack in
// Firefox (puppeteer-core over WebDriver BiDi) and WebKit (selenium-webdriver +
// WebKitWebDriver), and faults (the stack's processes killed under a browser
// participant, tests/faults). Prints a closing "summary: N passed, M failed" line.
// `--only=step,step` runs some steps; `--e2e-grep=<regex>` some end-to-end tests;
// `--integration-files=a,b` some integration test files.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  CACHE,
  ROOT,
  ensureChromium,
  ensureDependencies,
  ensureFirefox,
  ensureLivekitServer,
  ensureSpeechTools,
  ensureWebKit,
  log,
  run,
  warn,
} from "./lib/bootstrap.mjs";
import { freeTcpPort, startDirector, startStackOnFreePorts, stopService, superviseStack, freeStackPorts } from "./lib/stack.mjs";
import { ensureCertificate } from "./lib/tls.mjs";

const args = new Set(process.argv.slice(2));
const only = [...args].find((a) => a.startsWith("--only="))?.slice(7)?.split(",");
const want = (step) => !only || only.includes(step);
// --e2e-grep=<regex>: run only the matching Playwright tests (e.g. "phones|mobile").
const e2eGrep = [...args].find((a) => a.startsWith("--e2e-grep="))?.slice(11);
// --e2e-repeat=<n>: run each chosen Playwright test n times (to hunt a flaky one).
const e2eRepeat = [...args].find((a) => a.startsWith("--e2e-repeat="))?.slice(13);
// --integration-files=<a,b>: run only the integration test files whose path contains one of these.
const integrationFiles = [...args].find((a) => a.startsWith("--integration-files="))?.slice(20)?.split(",").filter(Boolean) ?? [];

const results = [];
/** What the supervisors logged since the last fault (the faults step checks the line). */
const supervisorLog = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
const bin = (name) => join(ROOT, "node_modules", ".bin", name);
const REPORTS = join(CACHE, "test-reports");

async function step(name, fn) {
  if (!want(name)) return true;
  const t0 = Date.now();
  log(`── ${name} ──`);
  let ok = false;
  try {
    ok = await fn();
  } catch (err) {
    warn(`${name}: ${err?.stack ?? err}`);
    ok = false;
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  results.push({ name, ok, secs });
  log(`${ok ? "✓" : "✗"} ${name} (${secs} s)`);
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

function addVitestCounts(path) {
  const r = readJson(path);
  if (!r) return;
  counts.passed += r.numPassedTests ?? 0;
  counts.failed += r.numFailedTests ?? 0;
  counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}

function addPlaywrightCounts(path) {
  const r = readJson(path);
  if (!r?.stats) return;
  counts.passed += (r.stats.expected ?? 0) + (r.stats.flaky ?? 0);
  counts.failed += r.stats.unexpected ?? 0;
  counts.skipped += r.stats.skipped ?? 0;
}

async function vitest(config, report) {
  rmSync(report, { force: true });
  const code = await run(bin("vitest"), ["run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  addVitestCounts(report);
  return code === 0;
}

/** Does `url` answer 2xx right now? */
async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/**
 * Poll `ready` every 50 ms until it is true (then true) or `timeoutMs` passed (then
 * false). `ready` may throw to give up at once.
 */
async function waitUntil(ready, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A small control server so the integration tests can kill and restart the director. */
function controlServer(stack, ports) {
  const extras = [];
  const killed = {};
  const srv = createServer((req, res) => {
    const reply = (status, body) => {
      if (res.headersSent) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    // A failing control action answers 500; it must never crash the test run.
    handleControl(req, reply).catch((err) => reply(500, { error: String(err?.message ?? err) }));
  });
  async function handleControl(req, reply) {
    // The fault tests: SIGKILL one process of the stack (its whole group). Under
    // supervision (the faults step) the supervisor restarts it, and /start waits for
    // the new one to serve and answers with the supervisor's log lines; otherwise
    // /start starts a new one with the same settings.
    const fault = /^\/(livekit|app|director)\/(kill|start)$/.exec(req.url ?? "");
    const readyUrl = (name) =>
      name === "livekit" ? `http://127.0.0.1:${ports.http}/` : name === "app" ? `${stack.appUrl}/status` : `http://127.0.0.1:${ports.director}/`;
    if (req.method === "POST" && fault && stack.supervised) {
      const [, name, action] = fault;
      if (action === "kill") {
        const c = stack[name];
        killed[name] = c;
        supervisorLog.length = 0;
        try {
          process.kill(-c.pid, "SIGKILL");
        } catch {
          // gone
        }
        return reply(200, { killed: name });
      }
      const t0 = Date.now();
      const back = () => stack[name] !== killed[name] && stack[name].exitCode === null;
      if (await waitUntil(async () => back() && (await answers(readyUrl(name))), 60_000)) {
        return reply(200, { started: name, pid: stack[name].pid, ms: Date.now() - t0, log: [...supervisorLog] });
      }
      return reply(500, { error: `the supervisor did not bring ${name} back`, log: [...supervisorLog] });
    }
    if (req.method === "POST" && req.url === "/director/kill") {
      const d = stack.director;
      if (d && d.exitCode === null) {
        try {
          process.kill(-d.pid, "SIGKILL");
        } catch {
          // gone
        }
        await new Promise((r) => (d.exitCode !== null || d.signalCode !== null ? r() : d.once("exit", r)));
      }
      return reply(200, { killed: true });
    }
    if (req.method === "POST" && (req.url === "/director/start" || req.url === "/director/start-extra")) {
      // start-extra: a second director process beside the first; LiveKit must give each room to one.
      const extra = req.url === "/director/start-extra";
      const dirPorts = extra ? { ...ports, director: await freeTcpPort() } : ports;
      const next = startDirector({ env: stack.serviceEnv, ports: dirPorts, logDir: join(CACHE, "logs", "test", ...(extra ? ["extra"] : [])), quiet: true });
      stack.children.push(next);
      if (extra) extras.push(next);
      else stack.director = next;
      if (await waitUntil(() => answers(`http://127.0.0.1:${dirPorts.director}/`), 30_000)) return reply(200, { started: true, pid: next.pid });
      return reply(500, { error: `${extra ? "extra " : ""}director did not become healthy` });
    }
    if (req.method === "POST" && req.url === "/director/stop-extra") {
      await Promise.all(extras.splice(0).map((c) => stopService(c)));
      return reply(200, { stopped: true });
    }
    if (req.method === "POST" && fault && fault[1] !== "director") {
      const [, name, action] = fault;
      if (action === "kill") {
        const c = stack[name];
        if (c && c.exitCode === null && c.signalCode === null) {
          try {
            process.kill(-c.pid, "SIGKILL");
          } catch {
            // gone
          }
          await new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", r)));
        }
        return reply(200, { killed: name });
      }
      const next = stack.spawn[name]();
      stack.children.push(next);
      stack[name] = next;
      const t0 = Date.now();
      const ready = await waitUntil(async () => {
        if (next.exitCode !== null) throw new Error(`${name} exited with code ${next.exitCode}`);
        return answers(readyUrl(name));
      }, 30_000);
      if (ready) return reply(200, { started: name, pid: next.pid, ms: Date.now() - t0 });
      return reply(500, { error: `${name} did not become ready` });
    }
    if (req.method === "POST" && req.url === "/https/drop") {
      // A network drop as a phone sees it: every proxied signalling socket is cut.
      return reply(200, { dropped: stack.entry?.dropUpgrades() ?? 0 });
    }
    reply(404, { error: "not found" });
  }
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve(srv)));
}

// Whatever ends the run (Ctrl-C, CI's timeout, a crash), the stack goes with it: no
// stray livekit-server or director is left behind.
let activeStack = null;
async function abort(why, code) {
  warn(`stopping: ${why}`);
  if (activeStack) await activeStack.stop().catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void abort("interrupted", 130));
process.on("SIGTERM", () => void abort("terminated", 143));
process.on("uncaughtException", (err) => void abort(err?.stack ?? String(err), 1));

async function main() {
  const t0 = Date.now();
  log("Conference Camera — npm test");
  mkdirSync(REPORTS, { recursive: true });
  await ensureDependencies();
  const livekitBin = await ensureLivekitServer();
  // The Firefox suite calls a Chromium participant too.
  const chromium = want("e2e") || want("firefox") || want("faults") ? await ensureChromium() : null;
  const firefox = want("firefox") ? await ensureFirefox() : null;
  const webkit = want("webkit") ? await ensureWebKit() : null;
  // The unit tests and the director's speech integration test render speech with them.
  await ensureSpeechTools({ required: want("unit") || want("integration") });

  await step("typecheck", async () => (await run(bin("tsc"), ["--noEmit", "-p", "."])) === 0);
  await step("lint", async () => (await run(bin("eslint"), [".", "--max-warnings=0"])) === 0);
  await step("unit", () => vitest("vitest.config.mts", join(REPORTS, "unit.json")));
  const built = await step("build", async () =>
    (await run(process.execPath, [join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    })) === 0,
  );

  if ((want("integration") || want("e2e") || want("firefox") || want("webkit") || want("faults")) && built) {
    const pickPorts = async () => {
      const p = { ...(await freeStackPorts()), https: await freeTcpPort() };
      log(`starting the stack on free ports: app ${p.app}, livekit ${p.http}/${p.tcp}/udp ${p.udp}, https ${p.https}`);
      return p;
    };
    // The tests' own certificate (loopback only), kept apart from npm start's.
    const tls = await ensureCertificate({ dir: join(CACHE, "tls-test"), ips: [], hostname: "localhost" });
    // A fresh admin password per run: the app requires it for /friends, /debug and the
    // admin APIs, and the tests get it (CC_ADMIN_PASSWORD) to sign in and to check
    // that no response ever contains it.
    const adminPassword = `cc-test-${randomBytes(12).toString("base64url")}`;
    let stack;
    let ports;
    try {
      ({ ports, stack } = await startStackOnFreePorts(pickPorts, (ports) => ({
        livekitBin,
        ports,
        appMode: "start",
        quiet: true,
        logDir: join(CACHE, "logs", "test"),
        nodeIp: "127.0.0.1",
        bind: ["127.0.0.1"],
        https: { port: ports.https, host: "127.0.0.1", cert: tls.cert, key: tls.key },
        // Fast reconciliation so the restart test doesn't wait on the default 2 s.
        // PHONE_URL: what the "Join from a phone" QR carries (npm start sets the LAN URL).
        extraEnv: { DIRECTOR_RECONCILE_MS: "500", HTTPS_PORT: String(ports.https), PHONE_URL: `https://127.0.0.1:${ports.https}`, ADMIN_PASSWORD: adminPassword,
          // The suites mint many tokens from one loopback address; the token limits
          // are tested on an app instance of their own (tests/integration/security.test.ts).
          TOKEN_RATE_PER_MINUTE: "0", TOKEN_RATE_PER_BROWSER_PER_MINUTE: "0",
          // The tests play several clients from loopback by naming them in
          // X-Forwarded-For, as a proxy in front would; the security tests check an
          // untrusted peer on an app instance of their own.
          TRUSTED_PROXIES: "loopback" },
      })));
      activeStack = stack;
    } catch (err) {
      warn(`the stack did not start: ${err.message} (logs: ${join(CACHE, "logs", "test")})`);
      results.push({ name: "stack", ok: false, secs: "0" });
    }
    if (stack && ports) {
      let supervisors = [];
      const control = await controlServer(stack, ports);
      const testEnv = {
        ...process.env,
        CC_APP_URL: stack.appUrl,
        CC_LIVEKIT_URL: stack.livekitUrl,
        CC_HTTPS_URL: stack.httpsUrl ?? "",
        CC_CONTROL_URL: `http://127.0.0.1:${control.address().port}`,
        CC_DIRECTOR_URL: `http://127.0.0.1:${ports.director}`,
        CC_CHROMIUM: chromium ?? "",
        CC_FIREFOX: firefox ?? "",
        CC_WEBKIT_DRIVER: webkit?.driver ?? "",
        CC_WEBKIT_MINIBROWSER: webkit?.miniBrowser ?? "",
        CC_XVFB_RUN: webkit?.xvfbRun ?? "",
        CC_DBUS_RUN_SESSION: webkit?.dbusRunSession ?? "",
        LIVEKIT_API_KEY: stack.keys.key,
        LIVEKIT_API_SECRET: stack.keys.secret,
        CC_ADMIN_PASSWORD: adminPassword,
      };
      try {
        await step("integration", async () => {
          const report = join(REPORTS, "integration.json");
          rmSync(report, { force: true });
          const code = await run(
            bin("vitest"),
            ["run", "--config", "vitest.integration.config.mts", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...integrationFiles],
            { env: testEnv },
          );
          addVitestCounts(report);
          return code === 0;
        });
        await step("e2e", async () => {
          const report = join(REPORTS, "e2e.json");
          rmSync(report, { force: true });
          const code = await run(bin("playwright"), ["test", ...(e2eGrep ? ["--grep", e2eGrep] : []), ...(e2eRepeat ? ["--repeat-each", e2eRepeat] : [])], {
            env: { ...testEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
          });
          addPlaywrightCounts(report);
          return code === 0;
        });
        // The same stack in the other engines: one Vitest file each, its own report.
        for (const engine of ["firefox", "webkit"]) {
          await step(engine, async () => {
            const report = join(REPORTS, `${engine}.json`);
            rmSync(report, { force: true });
            const code = await run(
              bin("vitest"),
              [
                "run",
                "--config",
                "vitest.browsers.config.mts",
                `tests/browsers/${engine}.test.ts`,
                "--reporter=default",
                "--reporter=json",
                `--outputFile.json=${report}`,
              ],
              { env: testEnv },
            );
            addVitestCounts(report);
            return code === 0;
          });
        }
        // Last: these kill the stack's own processes, which npm start's supervision
        // (scripts/lib/supervise.mjs) restarts, as it does under npm start.
        await step("faults", async () => {
          stack.supervised = true;
          supervisors = superviseStack(stack, {
            logDir: join(CACHE, "logs", "test"),
            log: (line) => {
              supervisorLog.push(line);
              log(line);
            },
          });
          const report = join(REPORTS, "faults.json");
          rmSync(report, { force: true });
          const code = await run(bin("playwright"), ["test", "--config", "playwright.faults.config.ts"], {
            env: { ...testEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
          });
          addPlaywrightCounts(report);
          return code === 0;
        });
      } finally {
        for (const sup of supervisors) sup.stop();
        control.close();
        await stack.stop();
        await Promise.all(stack.children.map((c) => stopService(c)));
      }
    }
  }

  const total = ((Date.now() - t0) / 1000).toFixed(1);
  console.log("");
  for (const r of results) console.log(`  ${r.ok ? "✓" : "✗"} ${r.name.padEnd(12)} ${r.secs} s`);
  console.log(`  total        ${total} s`);
  const failedSteps = results.filter((r) => !r.ok).length;
  console.log(`summary: ${counts.passed} passed, ${counts.failed + (failedSteps && !counts.failed ? failedSteps : 0)} failed, ${counts.skipped} skipped`);
  process.exit(failedSteps === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  process.exit(1);
});
