/**
 * Firefox end to end: Debian's stock firefox-esr driven over WebDriver BiDi
 * (puppeteer-core) against the stack `npm test` starts, with Firefox's own fake camera
 * and microphone (prefs media.navigator.streams.fake and
 * media.navigator.permission.disabled). What Chromium's Playwright suite checks for
 * the participant page, the viewer and /friends, checked in Firefox; the other side
 * of a call is a real Chromium or real rtc-node bots.
 */
import { join as pathJoin } from "node:path";
import type { Browser, BrowserContext, Page } from "puppeteer-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Bot } from "../helpers/bot";
import { waitForDirector } from "../helpers/director";
import { twoTalkers } from "../helpers/program";
import { adminPassword } from "../helpers/secrets";
import { botToken, testKeys } from "../helpers/tokens";
import { readWav } from "../helpers/wav";
import { LIVEKIT_URL, SLOW, join, launchChromium, launchFirefox, leaksIn, openPage, sel, setValue, waitForAttr, waitForVideo } from "./firefox-harness";

const fx = (n: string) => readWav(pathJoin(__dirname, "..", "fixtures", "audio", n)).samples;

let firefox: Browser;
const contexts: BrowserContext[] = [];
const pages: Page[] = [];
const errors: string[] = [];

/** A fresh Firefox profile-in-a-profile (own cookies and storage) per test. */
async function firefoxPage(path: string): Promise<Page> {
  const ctx = await firefox.createBrowserContext();
  contexts.push(ctx);
  const page = await openPage(ctx, path, errors);
  pages.push(page);
  return page;
}

describe("Firefox", () => {
  beforeAll(async () => {
    firefox = await launchFirefox();
  });

  afterEach(async () => {
    const leaks: string[] = [];
    for (const p of pages.splice(0)) leaks.push(...(await leaksIn(p).catch(() => [])));
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
    expect(leaks, "pages must never contain the API secret or the admin password").toEqual([]);
    expect(errors.splice(0), "no uncaught error and no dialog in any page").toEqual([]);
  });

  afterAll(async () => {
    await firefox?.close();
  });

  it("a Firefox participant and a Chromium participant see each other's video and names", async () => {
    const chromium = await launchChromium();
    try {
      const ff = await firefoxPage("/");
      const cr = await openPage(chromium, "/", errors);
      pages.push(cr);
      await join(ff, "Fox Pair", 2);
      await join(cr, "Chrome Pair", 2);
      await waitForAttr(ff, sel("connection-state"), "data-state", "connected");
      for (const [page, other] of [
        [ff, "Chrome Pair"],
        [cr, "Fox Pair"],
      ] as const) {
        const tile = `[data-testid="participant-tile"][data-name="${other}"]`;
        await page.waitForSelector(tile);
        expect(await page.$eval(tile, (el) => el.textContent)).toContain(other);
        // Real video: the remote camera's frames are decoded in this browser.
        expect(await waitForVideo(page, tile)).toBeGreaterThan(0);
      }
      expect(await leaksIn(cr)).toEqual([]);
    } finally {
      await chromium.close();
    }
  });

  it("the own level meter moves, and drops when muted", async () => {
    const page = await firefoxPage("/");
    await join(page, "Fox Meter", 4);
    // Firefox's fake microphone is a steady tone (about -23 dBov).
    const moved = await page.waitForFunction(
      () => {
        const el = document.querySelector<HTMLElement>('[data-testid="mic-meter"]');
        return Number(el?.dataset.level ?? 0) > 0.2 ? el?.dataset.source : false;
      },
      { polling: "raf", timeout: SLOW },
    );
    // "audio" where Firefox can run an AudioContext (a sound device or server exists),
    // "server" where it can't (this CI machine): either way the meter shows the level.
    expect(["audio", "server"]).toContain(await moved.jsonValue());
    await page.click(sel("mute-button"));
    await waitForAttr(page, sel("mute-button"), "aria-pressed", "true");
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="mic-meter"]')?.dataset.level === "0.000", {
      polling: "raf",
      timeout: SLOW,
    });
  });

  it("mute state and the form's prefill survive a reload", async () => {
    const page = await firefoxPage("/");
    await join(page, "Reload Fox", 5);
    await waitForAttr(page, sel("mute-button"), "aria-pressed", "false");
    await page.click(sel("mute-button"));
    await waitForAttr(page, sel("mute-button"), "aria-pressed", "true");

    await page.reload();
    await page.waitForSelector(sel("join-name"));
    expect(await page.$eval(sel("join-name"), (el) => (el as HTMLInputElement).value)).toBe("Reload Fox");
    expect(await page.$eval(sel("join-channel"), (el) => (el as HTMLInputElement).value)).toBe("5");
    expect(await page.$eval(sel("join-muted"), (el) => el.getAttribute("aria-checked"))).toBe("true");
    await page.click(sel("join-submit"));
    await page.waitForSelector(sel("local-video", '[data-published="true"]'));
    expect(await page.$eval(sel("mute-button"), (el) => el.getAttribute("aria-pressed"))).toBe("true");
  });

  it("the viewer follows the program and cuts without a blank frame", async () => {
    const ROOM = "channel-17";
    const keys = testKeys();
    const { ann, ben, speak, leave } = await twoTalkers(LIVEKIT_URL, keys, ROOM, "ff", "Fox-Viewer");
    try {
      await waitForDirector(LIVEKIT_URL, keys, ROOM);

      const ctx = await firefox.createBrowserContext();
      contexts.push(ctx);
      const page = await ctx.newPage();
      pages.push(page);
      page.on("pageerror", (err) => errors.push(`viewer: ${err instanceof Error ? err.message : String(err)}`));
      page.setDefaultTimeout(SLOW);
      // Every animation frame from the first picture on: the program element must
      // exist, have a decoded frame, and show something that isn't black (the bots'
      // cameras are flat colours with a white bar).
      await page.evaluateOnNewDocument(() => {
        const m: { frames: number; blank: string[]; shown: (string | null)[] } = { frames: 0, blank: [], shown: [] };
        (window as unknown as { __cuts: typeof m }).__cuts = m;
        const canvas = document.createElement("canvas");
        canvas.width = 8;
        canvas.height = 8;
        let g: CanvasRenderingContext2D | null = null;
        let last: string | null | undefined;
        const tick = () => {
          const v = document.querySelector('[data-testid="program-video"]');
          if (v || m.frames > 0) {
            m.frames++;
            const id = v?.getAttribute("data-identity") ?? null;
            if (id !== last) m.shown.push(id);
            last = id;
            let why = "";
            if (!(v instanceof HTMLVideoElement)) why = "no program element";
            else if (v.videoWidth === 0 || v.readyState < 2) why = `no frame (readyState ${v.readyState})`;
            else {
              g ??= canvas.getContext("2d", { willReadFrequently: true });
              g?.drawImage(v, 0, 0, 8, 8);
              const d = g?.getImageData(0, 0, 8, 8).data ?? new Uint8ClampedArray(0);
              let max = 0;
              for (let i = 0; i < d.length; i += 4) max = Math.max(max, d[i] ?? 0, d[i + 1] ?? 0, d[i + 2] ?? 0);
              if (max < 16) why = "black picture";
            }
            if (why) m.blank.push(`frame ${m.frames} (${id}): ${why}`);
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await page.goto(new URL("/viewer?channel=17", process.env.CC_APP_URL ?? "http://127.0.0.1:9000").href);
      await page.waitForSelector(sel("waiting-state"));

      for (const [bot, name] of [
        [ann, "Ann Fox-Viewer"],
        [ben, "Ben Fox-Viewer"],
      ] as const) {
        await speak(bot);
        await waitForAttr(page, sel("program-video"), "data-identity", bot.identity);
        expect(await page.$eval(sel("program-name"), (el) => el.textContent)).toBe(name);
        expect(await page.$eval(sel("program-video"), (el) => el.getAttribute("data-track-sid"))).toBe(bot.cameraSid);
        expect(await waitForVideo(page, sel("program-video"))).toBe(320);
        await page.waitForSelector(sel("onair-indicator"));
        await bot.drained();
      }
      const cuts = await page.evaluate(() => (window as unknown as { __cuts: { frames: number; blank: string[]; shown: (string | null)[] } }).__cuts);
      expect(cuts.shown).toEqual([ann.identity, ben.identity]);
      expect(cuts.frames).toBeGreaterThan(10);
      expect(cuts.blank).toEqual([]);
    } finally {
      await leave();
    }
  });

  it("/friends: an admin signs in and sees a live channel, and pins", async () => {
    const keys = testKeys();
    const bot = new Bot("p_ff_desk");
    try {
      await bot.join(LIVEKIT_URL, await botToken(keys, "channel-12", bot.identity, { name: "Desk Fox" }));
      const page = await firefoxPage("/friends");
      await page.waitForSelector(sel("login-password"));
      expect(page.url()).toMatch(/\/login\?next=/);
      await setValue(page, sel("login-password"), adminPassword());
      await Promise.all([page.waitForNavigation(), page.click(sel("login-submit"))]);
      expect(new URL(page.url()).pathname).toBe("/friends");
      await waitForAttr(page, sel("friends-stream-status"), "data-status", "live");
      const channel = '[data-testid="friends-channel"][data-channel="12"]';
      const row = `${channel} [data-testid="friends-participant"]`;
      await page.waitForSelector(row);
      expect(await page.$eval(`${row} [data-testid="friends-name"]`, (el) => el.textContent)).toBe("Desk Fox");
      // An action round trip: the button, the admin API, the room metadata, the feed.
      await page.click(`${row} [data-testid="friends-pin"]`);
      await waitForAttr(page, row, "data-pinned", "true");
      await page.click(`${row} [data-testid="friends-unpin"]`);
      await waitForAttr(page, row, "data-pinned", "false");
      // Live levels: the bot speaks, the director hears it, the desk shows it.
      await waitForDirector(LIVEKIT_URL, keys, "channel-12");
      void bot.say(fx("speech-alice.wav"));
      await waitForAttr(page, row, "data-speaking", "true");
      await page.waitForFunction(
        (c: string) => document.querySelector(`${c} [data-testid="friends-program-name"]`)?.textContent === "Desk Fox",
        { polling: "mutation", timeout: SLOW },
        channel,
      );
    } finally {
      await bot.leave().catch(() => undefined);
    }
  });
});
