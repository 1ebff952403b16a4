/**
 * WebKit end to end: WebKitGTK's MiniBrowser (the engine of every iPhone browser)
 * driven by WebKitWebDriver against the stack `npm test` starts, with WebKit's mock
 * camera and microphone. Debian builds WebKitGTK without WebRTC (no
 * RTCPeerConnection), so WebKit can't join a call here: these tests cover everything
 * before one (the join form, validation, prefs, the phone layout, the mic meter) and
 * the message such a browser must get instead of a blank page or an uncaught error.
 */
import type { WebDriver } from "selenium-webdriver";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { leakedIn } from "../helpers/secrets";
import { APP_URL, byTestId, pageErrors, startWebKit, tokenRequests, typeInto, visible, waitInPage, watchErrors, type WebKit } from "./webkit-harness";

let webkit: WebKit;
let driver: WebDriver;

async function open(path: string): Promise<void> {
  await driver.get(new URL(path, APP_URL).href);
  await watchErrors(driver);
}

/** Nothing a test did left an uncaught error, a secret in the page, or Next's crash screen. */
async function pageIsSound(): Promise<void> {
  expect(await pageErrors(driver), "no uncaught error or unhandled rejection").toEqual([]);
  const html = await driver.getPageSource();
  expect(leakedIn(html), "the page must never contain the API secret or the admin password").toEqual([]);
  expect(html).not.toContain("Application error");
}

describe("WebKit (WebKitGTK MiniBrowser)", () => {
  beforeAll(async () => {
    webkit = await startWebKit();
    driver = webkit.driver;
  });

  afterAll(async () => {
    await webkit?.stop();
  });

  beforeEach(async () => {
    // One browser session for the file: start each test from an empty origin.
    await driver.get(new URL("/status", APP_URL).href);
    await driver.executeScript("localStorage.clear()");
    await driver.manage().window().setRect({ width: 1280, height: 900 });
  });

  afterEach(async () => {
    await pageIsSound();
  });

  it("is the engine this suite means: WebKit, without WebRTC", async () => {
    await open("/");
    const engine = (await driver.executeScript(
      "return { ua: navigator.userAgent, pc: typeof RTCPeerConnection, gum: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia), audio: typeof AudioContext }",
    )) as { ua: string; pc: string; gum: boolean; audio: string };
    expect(engine.ua).toMatch(/AppleWebKit/);
    expect(engine.ua).not.toMatch(/Chrome|Firefox/);
    // If a WebKitGTK with WebRTC ever arrives, these tests should grow a call test.
    expect(engine.pc).toBe("undefined");
    expect(engine.gum).toBe(true);
    expect(engine.audio).toBe("function");
  });

  it("the join form validates, sends nothing invalid, and remembers the person's choices", async () => {
    await open("/");
    await typeInto(driver, "join-name", "Val Kit");
    for (const bad of ["0", "21", "2.5"]) {
      await typeInto(driver, "join-channel", bad);
      await (await visible(driver, "join-submit")).click();
      const error = await visible(driver, "join-error");
      expect(await error.getText()).toMatch(/channel/i);
    }
    await typeInto(driver, "join-name", "");
    await typeInto(driver, "join-channel", "7");
    await (await visible(driver, "join-submit")).click();
    expect(await (await visible(driver, "join-error")).getText()).toMatch(/name/i);
    expect(await driver.findElements(byTestId("session"))).toHaveLength(0);
    expect(await tokenRequests(driver)).toBe(0);

    await typeInto(driver, "join-name", "Val Kit");
    await (await visible(driver, "join-muted")).click();
    await (await visible(driver, "camera-back")).click();
    expect(await (await visible(driver, "join-muted")).getAttribute("aria-checked")).toBe("true");
    expect(await (await visible(driver, "camera-back")).getAttribute("aria-checked")).toBe("true");
    expect(await (await visible(driver, "join-submit")).getText()).toBe("Join channel 7");
    await (await visible(driver, "join-submit")).click();
    await visible(driver, "session");

    await open("/");
    expect(await (await visible(driver, "join-name")).getAttribute("value")).toBe("Val Kit");
    expect(await (await visible(driver, "join-channel")).getAttribute("value")).toBe("7");
    expect(await (await visible(driver, "join-muted")).getAttribute("aria-checked")).toBe("true");
    expect(await (await visible(driver, "camera-back")).getAttribute("aria-checked")).toBe("true");
    // A channel in the link wins over the remembered one.
    await open("/?channel=12");
    expect(await (await visible(driver, "join-channel")).getAttribute("value")).toBe("12");
  });

  it("says this browser can't do video calls, and what to use, before and after Join", async () => {
    await open("/");
    const notice = await visible(driver, "webrtc-unsupported");
    expect(await notice.getText()).toMatch(/can.t do video calls/i);
    expect(await notice.getText()).toMatch(/Safari.*Chrome.*Firefox/);

    await typeInto(driver, "join-name", "No Call");
    await typeInto(driver, "join-channel", "8");
    await (await visible(driver, "join-submit")).click();
    const panel = await visible(driver, "connection-error");
    expect(await panel.getAttribute("data-kind")).toBe("unsupported");
    expect(await panel.getText()).toMatch(/can.t do video calls/i);
    expect(await panel.getText()).toMatch(/Safari.*Chrome.*Firefox/);
    // Retrying can't help, so there is no "Try again"; the token was never asked for.
    expect(await driver.findElements(byTestId("retry-button"))).toHaveLength(0);
    expect(await tokenRequests(driver)).toBe(0);
    expect(await driver.findElements(byTestId("local-video"))).toHaveLength(1);

    // Back to the form, not a dead end.
    await (await driver.findElement({ xpath: "//button[normalize-space()='Back']" })).click();
    await visible(driver, "join-name");
  });

  it("the viewer says it can't show the program, instead of a black screen", async () => {
    await open("/viewer?channel=3");
    const panel = await visible(driver, "connection-error");
    expect(await panel.getAttribute("data-kind")).toBe("unsupported");
    expect(await panel.getText()).toMatch(/can.t show the program/i);
    expect(await panel.getText()).toMatch(/Safari.*Chrome.*Firefox/);
    expect(await tokenRequests(driver)).toBe(0);
  });

  it("the mic meter moves with the microphone (Web Audio)", async () => {
    await open("/");
    await typeInto(driver, "join-name", "Meter Kit");
    await typeInto(driver, "join-channel", "9");
    await (await visible(driver, "join-submit")).click();
    await visible(driver, "device-check");
    // WebKit's mock microphone beeps: the meter must light up on a beep.
    const level = await waitInPage<string>(
      driver,
      `const el = document.querySelector('[data-testid="mic-meter"]');
       return el && Number(el.dataset.level) > 0.1 && el.dataset.source === "audio" ? el.dataset.level : false;`,
      "the mic meter to move",
    );
    expect(Number(level)).toBeGreaterThan(0.1);
  });

  it("fits a phone: every control visible, at least 44 px, no sideways scrolling", async () => {
    await driver.manage().window().setRect({ width: 390, height: 844 });
    for (const path of ["/", "/viewer?channel=3"]) {
      await open(path);
      await visible(driver, path === "/" ? "join-submit" : "connection-error");
      const report = (await driver.executeScript(`
        const vw = document.documentElement.clientWidth;
        const controls = [...document.querySelectorAll("a[href], button, input, select, [role=switch], [role=radio]")]
          .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
        return {
          vw,
          scrollWidth: document.documentElement.scrollWidth,
          controls: controls.map((el) => {
            const r = el.getBoundingClientRect();
            return { what: (el.getAttribute("data-testid") || el.tagName + ":" + (el.textContent || "").trim()).slice(0, 40), w: Math.round(r.width), h: Math.round(r.height), left: Math.round(r.left), right: Math.round(r.right) };
          }),
        };
      `)) as { vw: number; scrollWidth: number; controls: { what: string; w: number; h: number; left: number; right: number }[] };
      // MiniBrowser's window can't get narrower than its toolbar (about 450 px): still a
      // phone's width (large phones are 430), below the 640 px where the wide layout starts.
      expect(report.vw, "the window is phone-sized").toBeLessThanOrEqual(480);
      expect(report.scrollWidth, `${path} scrolls sideways`).toBeLessThanOrEqual(report.vw);
      expect(report.controls.length).toBeGreaterThan(0);
      const small = report.controls.filter((c) => c.h < 44 || c.w < 44).map((c) => `${c.what} ${c.w}×${c.h}`);
      expect(small, `${path}: touch targets under 44 px`).toEqual([]);
      const outside = report.controls.filter((c) => c.left < 0 || c.right > report.vw).map((c) => c.what);
      expect(outside, `${path}: controls outside the screen`).toEqual([]);
      await pageIsSound();
    }
  });
});
