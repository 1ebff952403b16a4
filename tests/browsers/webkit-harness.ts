/**
 * WebKit for the WebKit end-to-end tests: WebKitGTK's MiniBrowser, driven by
 * WebKitWebDriver (Debian's webkit2gtk-driver) through selenium-webdriver. MiniBrowser
 * is a GTK window, so the driver runs under xvfb-run (a private X server) inside
 * dbus-run-session (a private session bus: a fresh machine or CI has none, and GTK's
 * accessibility bridge would otherwise look for one). scripts/test.mjs finds these
 * tools (bootstrap's ensureWebKit) and passes their paths in CC_WEBKIT_*.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Builder, By, Key, until, type WebDriver, type WebElement } from "selenium-webdriver";
import { freeTcpPort } from "../../scripts/lib/stack.mjs";

export const APP_URL = process.env.CC_APP_URL ?? "http://127.0.0.1:9000";
export const SLOW = 45_000;

const tool = (env: string, fallback: string) => process.env[env] || fallback;


export interface WebKit {
  driver: WebDriver;
  stop(): Promise<void>;
}

/** Start WebKitWebDriver under Xvfb and a private D-Bus, and open a MiniBrowser session. */
export async function startWebKit(): Promise<WebKit> {
  const port = await freeTcpPort();
  const driverBin = tool("CC_WEBKIT_DRIVER", tool("WEBKIT_DRIVER_PATH", "WebKitWebDriver"));
  const miniBrowser = tool("CC_WEBKIT_MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser");
  const output: string[] = [];
  const child: ChildProcess = spawn(
    tool("CC_DBUS_RUN_SESSION", "dbus-run-session"),
    ["--", tool("CC_XVFB_RUN", "xvfb-run"), "-a", "-s", "-screen 0 1280x1024x24 -nolisten tcp", driverBin, `--port=${port}`],
    {
      // Its own process group, so stop() ends Xvfb, the driver and MiniBrowser together.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      // No GTK accessibility bridge: it only looks for an at-spi bus that isn't there.
      env: { ...process.env, NO_AT_BRIDGE: "1", GTK_A11Y: "none" },
    },
  );
  for (const s of [child.stdout, child.stderr]) s?.on("data", (b: Buffer) => output.push(b.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killGroup = () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return false;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    return true;
  };
  // Whatever ends this test process (a hook timeout, a crash), Xvfb, the driver and
  // MiniBrowser end with it.
  process.once("exit", killGroup);
  const stopDriver = async () => {
    if (killGroup()) await exited;
    process.off("exit", killGroup);
  };

  // Ready when its /status answers: polled (bounded) because the driver signals
  // readiness no other way.
  const status = `http://127.0.0.1:${port}/status`;
  const deadline = Date.now() + SLOW;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode}):\n${output.join("")}`);
    try {
      if ((await fetch(status)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopDriver();
      throw new Error(`WebKitWebDriver did not answer on ${status}:\n${output.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  let driver: WebDriver;
  let timer: NodeJS.Timeout | undefined;
  try {
    const session = new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({
        browserName: "MiniBrowser",
        "webkitgtk:browserOptions": {
          binary: miniBrowser,
          // Mock camera and microphone: WebKit's own test devices (a test pattern and
          // a periodic beep), granted without a prompt under automation.
          args: ["--automation", "--enable-mock-capture-devices=true"],
        },
      })
      .build();
    // A MiniBrowser that can't start (no GL driver, no display) never answers: give up
    // in bounded time, with the driver's output, rather than at the hook's timeout.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${SLOW} ms`)), SLOW);
    });
    driver = await Promise.race([session, timeout]);
  } catch (err) {
    await stopDriver();
    throw new Error(
      `no MiniBrowser session: ${String(err)} (under Xvfb it needs Mesa's software GL: apt-get install libgl1-mesa-dri)\n${output.join("")}`,
    );
  } finally {
    clearTimeout(timer);
  }
  await driver.manage().setTimeouts({ script: SLOW, pageLoad: SLOW });
  return {
    driver,
    async stop() {
      await driver.quit().catch(() => undefined);
      await stopDriver();
    },
  };
}

export const byTestId = (id: string) => By.css(`[data-testid="${id}"]`);

/** Wait for an element to exist and be displayed. */
export async function visible(driver: WebDriver, id: string, timeout = SLOW): Promise<WebElement> {
  const el = await driver.wait(until.elementLocated(byTestId(id)), timeout, `waiting for ${id}`);
  await driver.wait(until.elementIsVisible(el), timeout, `waiting for ${id} to be visible`);
  return el;
}

/** Wait until a page-side condition holds (re-checked on each animation frame, up to `timeout`). */
export async function waitInPage<T>(driver: WebDriver, body: string, what: string, timeout = SLOW): Promise<T> {
  // One async script: the browser re-evaluates on every frame and answers once true,
  // so there is no polling over the wire.
  const result = (await driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     const deadline = performance.now() + ${timeout - 1000};
     const check = () => {
       let v;
       try { v = (function () { ${body} })(); } catch (e) { v = undefined; }
       if (v) return done({ ok: true, value: v });
       if (performance.now() > deadline) return done({ ok: false });
       requestAnimationFrame(check);
     };
     check();`,
  )) as { ok: boolean; value?: T };
  if (!result.ok) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
  return result.value as T;
}

/**
 * Collect uncaught errors and unhandled rejections from now on (WebKitWebDriver has
 * no log API). Read them with `pageErrors`.
 */
export async function watchErrors(driver: WebDriver): Promise<void> {
  await driver.executeScript(`
    window.__ccErrors = [];
    window.addEventListener("error", (e) => window.__ccErrors.push(String(e.message || e.error)));
    window.addEventListener("unhandledrejection", (e) => window.__ccErrors.push("unhandled rejection: " + String(e.reason && (e.reason.stack || e.reason))));
  `);
}

export async function pageErrors(driver: WebDriver): Promise<string[]> {
  return ((await driver.executeScript("return window.__ccErrors || []")) as string[]) ?? [];
}

/** The app's /api/token requests this page made (resource timing sees fetches). */
export async function tokenRequests(driver: WebDriver): Promise<number> {
  return (await driver.executeScript(
    "return performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/token')).length",
  )) as number;
}

/** Replace an input's value as a person would: select all, delete, type. */
export async function typeInto(driver: WebDriver, id: string, text: string): Promise<void> {
  const el = await visible(driver, id);
  await el.click();
  await el.sendKeys(Key.chord(Key.CONTROL, "a"), Key.BACK_SPACE);
  if (text) await el.sendKeys(text);
}
