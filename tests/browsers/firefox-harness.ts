/**
 * Firefox (and a Chromium beside it) for the Firefox end-to-end tests, driven with
 * puppeteer-core: Firefox over WebDriver BiDi, Chromium over CDP. Both are the
 * system's own browsers (FIREFOX_PATH / Debian's firefox-esr, and the Chromium the
 * Playwright suite uses); puppeteer-core never downloads one.
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../helpers/chromium";
import { leakedIn } from "../helpers/secrets";

export const APP_URL = process.env.CC_APP_URL ?? "http://127.0.0.1:9000";
export const LIVEKIT_URL = process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880";

/** Generous: a join is camera + token + connect + publish on a busy 2-core machine. */
export const SLOW = 45_000;

const launch = (opts: Parameters<typeof puppeteer.launch>[0]) => puppeteer.launch({ headless: true, protocolTimeout: 120_000, ...opts });

export async function launchFirefox(): Promise<Browser> {
  return launch({
    browser: "firefox",
    executablePath: process.env.CC_FIREFOX || process.env.FIREFOX_PATH || "/usr/bin/firefox-esr",
    extraPrefsFirefox: {
      // Firefox's own fake camera (a colour cycle) and microphone (a tone), without a
      // permission prompt: the stock browser's test devices, no patched build.
      "media.navigator.streams.fake": true,
      "media.navigator.permission.disabled": true,
    },
  });
}

export async function launchChromium(): Promise<Browser> {
  // The same Chromium and fake devices as the Playwright suite (playwright.config.ts).
  return launch({ browser: "chrome", executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A new page that fails the test on any uncaught page error or dialog. */
export async function openPage(browser: Pick<Browser, "newPage">, path: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (err) => errors.push(`${page.url()}: ${err instanceof Error ? err.message : String(err)}`));
  page.on("dialog", (d) => {
    errors.push(`unexpected ${d.type()} dialog: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.setDefaultTimeout(SLOW);
  await page.goto(new URL(path, APP_URL).href);
  return page;
}

/** The page's HTML must not contain the API secret or the admin password. */
export async function leaksIn(page: Page): Promise<string[]> {
  return leakedIn(await page.content()).map((name) => `${name} in ${page.url()}`);
}

const sel = (testId: string, extra = "") => `[data-testid="${testId}"]${extra}`;
export { sel };

/** Fill the join form and join; resolves when the local camera is published. */
export async function join(page: Page, name: string, channel: number): Promise<void> {
  await page.waitForSelector(sel("join-name"));
  await setValue(page, sel("join-name"), name);
  await setValue(page, sel("join-channel"), String(channel));
  await page.click(sel("join-submit"));
  await page.waitForSelector(sel("local-video", '[data-published="true"]'), { timeout: SLOW });
}

/** Replace an input's value by typing (select all, delete, type), as a person would. */
export async function setValue(page: Page, selector: string, value: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.down("Control");
  await page.keyboard.press("a");
  await page.keyboard.up("Control");
  await page.keyboard.press("Backspace");
  if (value) await page.type(selector, value);
}

/** Wait for an attribute value (re-checked on every DOM mutation). */
export async function waitForAttr(page: Page, selector: string, attr: string, value: string, timeout = SLOW): Promise<void> {
  await page.waitForFunction(
    (s: string, a: string, v: string) => document.querySelector(s)?.getAttribute(a) === v,
    { polling: "mutation", timeout },
    selector,
    attr,
    value,
  );
}

/** Resolves when the <video> under `selector` has decoded frames (checked each animation frame). */
export async function waitForVideo(page: Page, selector: string, timeout = SLOW): Promise<number> {
  const handle = await page.waitForFunction(
    (s: string) => {
      const v = document.querySelector(s);
      const video = v instanceof HTMLVideoElement ? v : v?.querySelector("video");
      return video && video.videoWidth > 0 && video.readyState >= 2 ? video.videoWidth : 0;
    },
    { polling: "raf", timeout },
    selector,
  );
  return (await handle.jsonValue()) as number;
}
