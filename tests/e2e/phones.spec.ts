import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as pathJoin } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { RoomServiceClient } from "livekit-server-sdk";
import { decodePng } from "../helpers/qr";
import { testKeys } from "../helpers/tokens";
import config from "../../playwright.config";
import { test as base, expect, join, failOnDialog } from "./fixtures";

// Phones reach the app through the HTTPS entry point (scripts/lib/https-entry.mjs),
// which `npm test` runs on loopback with a self-signed certificate, like `npm start`
// does on the LAN: hence ignoreHTTPSErrors (a person taps "continue" once).
const HTTPS = process.env.CC_HTTPS_URL ?? "https://127.0.0.1:9443";
const CONTROL = process.env.CC_CONTROL_URL ?? "";
const LIVEKIT_HTTP = (process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880").replace(/^ws/, "http");
const wss = HTTPS.replace(/^https/, "wss");

type ContextOptions = Parameters<Browser["newContext"]>[0];

/** `httpsPage()` opens a browser context and page on the HTTPS entry point, as a phone does; all are closed when the test ends. */
const test = base.extend<{ httpsPage: (extra?: ContextOptions) => Promise<{ page: Page }> }>({
  httpsPage: async ({ browser }, provide) => {
    const opened: BrowserContext[] = [];
    await provide(async (extra = {}) => {
      const ctx = await browser.newContext({ baseURL: HTTPS, ignoreHTTPSErrors: true, ...extra });
      opened.push(ctx);
      const page = await ctx.newPage();
      failOnDialog(page);
      return { page };
    });
    for (const ctx of opened) await ctx.close();
  },
});

/** Record every RTCPeerConnection the page makes, to read its selected candidate pair. */
const RECORD_PCS = () => {
  const Orig = window.RTCPeerConnection;
  const pcs: RTCPeerConnection[] = [];
  (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = pcs;
  window.RTCPeerConnection = class extends Orig {
    constructor(cfg?: RTCConfiguration) {
      super(cfg);
      pcs.push(this);
    }
  } as typeof RTCPeerConnection;
};

/** Protocols ("udp"/"tcp") of the local candidates of the page's selected ICE pairs. */
async function selectedProtocols(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const out: string[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === "closed") continue;
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type === "candidate-pair" && s.state === "succeeded" && s.nominated) {
          const local = stats.get(s.localCandidateId) as { protocol?: string } | undefined;
          if (local?.protocol) out.push(local.protocol);
        }
      });
    }
    return out;
  });
}

test.describe("phones over the HTTPS entry point", () => {
  test("a phone joins and publishes over https + proxied wss, and a viewer sees it", async ({ httpsPage }) => {
    const phone = await httpsPage();
    const viewer = await httpsPage();
    const sockets: string[] = [];
    phone.page.on("websocket", (ws) => sockets.push(ws.url()));
    const tokenResponse = phone.page.waitForResponse((r) => r.url().endsWith("/api/token") && r.request().method() === "POST");
    await phone.page.goto("/?channel=11");
    await expect(phone.page.getByTestId("join-channel")).toHaveValue("11");
    await phone.page.getByTestId("join-name").fill("Phil Phone");
    await phone.page.getByTestId("join-submit").click();
    const token = (await (await tokenResponse).json()) as { serverUrl: string };
    // The token tells the page to use its own origin's wss (the proxied signalling)…
    expect(token.serverUrl).toBe(wss);
    await expect(phone.page.getByTestId("local-video")).toHaveAttribute("data-published", "true");
    await expect(phone.page.getByTestId("connection-state")).toHaveAttribute("data-state", "connected");
    // …and the page's LiveKit connection is that socket.
    expect(sockets.some((u) => u.startsWith(`${wss}/rtc`))).toBe(true);
    expect(sockets.every((u) => u.startsWith("wss://"))).toBe(true);
    // A secure page has the Wake Lock API and asks for it (headless Chromium refuses;
    // the next test checks holding and releasing with a stand-in).
    await expect(phone.page.getByTestId("session")).toHaveAttribute("data-wake-lock", /^(held|denied)$/);

    await viewer.page.goto("/viewer?channel=11");
    await expect(viewer.page.getByTestId("program-name")).toHaveText("Phil Phone", { timeout: 20000 });
    const video = viewer.page.getByTestId("program-video");
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15000 }).toBeGreaterThan(0);

    // Leaving releases the wake lock with the session.
    await phone.page.getByTestId("leave-button").click();
    await expect(phone.page.getByTestId("session")).toHaveCount(0);
  });

  test("TCP fallback: a browser that cannot use UDP still publishes and is seen", async ({ httpsPage }) => {
    // Chromium's `--force-webrtc-ip-handling-policy=disable_non_proxied_udp`; this
    // build honours it only as the profile preference, so both are set. Checked below:
    // the page's selected ICE pair is TCP.
    const profile = mkdtempSync(pathJoin(tmpdir(), "cc-no-udp-"));
    mkdirSync(pathJoin(profile, "Default"));
    writeFileSync(
      pathJoin(profile, "Default", "Preferences"),
      JSON.stringify({ webrtc: { ip_handling_policy: "disable_non_proxied_udp" } }),
    );
    const launch = config.use?.launchOptions ?? {};
    const noUdp = await chromium.launchPersistentContext(profile, {
      ...launch,
      args: [...(launch.args ?? []), "--force-webrtc-ip-handling-policy=disable_non_proxied_udp"],
      baseURL: HTTPS,
      ignoreHTTPSErrors: true,
      permissions: ["camera", "microphone"],
    });
    const other = await httpsPage();
    try {
      const page = await noUdp.newPage();
      failOnDialog(page);
      await page.addInitScript(RECORD_PCS);
      await page.goto("/");
      await join(page, "Tina TCP", 12);
      await other.page.addInitScript(RECORD_PCS);
      await other.page.goto("/");
      await join(other.page, "Uma UDP", 12);

      const tile = other.page.locator('[data-testid="participant-tile"][data-name="Tina TCP"]');
      await expect(tile).toBeVisible();
      await expect.poll(() => tile.locator("video").evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20000 }).toBeGreaterThan(0);
      // The media really went over ICE/TCP (7881 in npm start), and the other's over UDP.
      await expect.poll(() => selectedProtocols(page), { timeout: 10000 }).toContain("tcp");
      expect(await selectedProtocols(page)).not.toContain("udp");
      await expect.poll(() => selectedProtocols(other.page), { timeout: 10000 }).toContain("udp");
    } finally {
      await noUdp.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test("the on-page QR carries the phone URL with the channel, and it opens prefilled", async ({ page, httpsPage }) => {
    await page.goto("/");
    await page.getByTestId("join-channel").fill("9");
    await page.getByTestId("phone-join-button").click();
    const qr = page.getByTestId("phone-qr");
    await expect(qr).toBeVisible();
    const decoded = decodePng(await qr.screenshot());
    expect(decoded).toBe(`${HTTPS}/?channel=9`);
    await expect(page.getByTestId("phone-url")).toHaveText(`${HTTPS}/?channel=9`);
    await page.getByTestId("phone-join-close").click();
    await expect(qr).toHaveCount(0);

    const phone = await httpsPage({ baseURL: undefined });
    await phone.page.goto(decoded!);
    await expect(phone.page.getByTestId("join-channel")).toHaveValue("9");
  });

  test("the camera choice is remembered and the back camera is not mirrored", async ({ httpsPage }) => {
    const { page } = await httpsPage();
    await page.goto("/");
    await expect(page.getByTestId("camera-front")).toHaveAttribute("aria-checked", "true");
    await page.getByTestId("camera-back").click();
    await join(page, "Bo Back", 13);
    const video = page.getByTestId("local-video");
    await expect(video).toHaveAttribute("data-facing", "environment");
    await expect(video).not.toHaveClass(/-scale-x-100/);
    await page.getByTestId("leave-button").click();
    await page.reload();
    await expect(page.getByTestId("camera-back")).toHaveAttribute("aria-checked", "true");
  });

  test("a network drop shows reconnecting and recovers; a lost session offers a rejoin that keeps name and channel", async ({
    httpsPage,
  }) => {
    test.skip(!CONTROL, "needs npm test's control server");
    const { page } = await httpsPage();
    await page.goto("/");
    await join(page, "Rae Reconnect", 14);
    const state = page.getByTestId("connection-state");
    await expect(state).toHaveAttribute("data-state", "connected");
    const seen: string[] = [];
    await page.exposeFunction("__state", (s: string) => seen.push(s));
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="connection-state"]')!;
      new MutationObserver(() => (window as unknown as { __state: (s: string) => void }).__state(el.getAttribute("data-state") ?? "")).observe(
        el,
        { attributes: true },
      );
    });
    const res = await fetch(`${CONTROL}/https/drop`, { method: "POST" });
    expect(res.ok).toBe(true);
    expect(((await res.json()) as { dropped: number }).dropped).toBeGreaterThan(0);
    await expect.poll(() => seen, { timeout: 15000 }).toContain("reconnecting");
    await expect(state).toHaveAttribute("data-state", "connected", { timeout: 20000 });
    await expect(page.getByTestId("local-video")).toHaveAttribute("data-published", "true");

    // Removed server-side (as after a long sleep): the page offers a rejoin.
    const keys = testKeys();
    const rooms = new RoomServiceClient(LIVEKIT_HTTP, keys.key, keys.secret);
    const [me] = (await rooms.listParticipants("channel-14")).filter((p) => p.name === "Rae Reconnect");
    expect(me).toBeDefined();
    await rooms.removeParticipant("channel-14", me!.identity);
    await expect(page.getByTestId("rejoin-button")).toBeVisible({ timeout: 15000 });
    await page.getByTestId("rejoin-button").click();
    await expect(page.getByTestId("local-video")).toHaveAttribute("data-published", "true");
    await expect(state).toHaveAttribute("data-state", "connected");
    await expect(page.getByRole("heading", { name: "Channel 14" })).toBeVisible();
    await expect(page.getByText("Rae Reconnect", { exact: false }).first()).toBeVisible();
  });

  test("the screen is kept awake while joined and released on leave", async ({ httpsPage }) => {
    const { page } = await httpsPage();
    // A stand-in for a phone's navigator.wakeLock that records what the page does.
    await page.addInitScript(() => {
      const log: string[] = [];
      (window as unknown as { __wake: string[] }).__wake = log;
      Object.defineProperty(navigator, "wakeLock", {
        configurable: true,
        value: {
          request: async (type: string) => {
            log.push(`request:${type}`);
            const listeners: (() => void)[] = [];
            const sentinel = {
              released: false,
              release: async () => {
                if (sentinel.released) return;
                sentinel.released = true;
                log.push("release");
                listeners.forEach((l) => l());
              },
              addEventListener: (_t: string, cb: () => void) => listeners.push(cb),
            };
            return sentinel;
          },
        },
      });
    });
    const wake = () => page.evaluate(() => (window as unknown as { __wake: string[] }).__wake);
    await page.goto("/");
    await join(page, "Walt Wake", 20);
    await expect(page.getByTestId("session")).toHaveAttribute("data-wake-lock", "held");
    expect(await wake()).toEqual(["request:screen"]);
    await page.getByTestId("leave-button").click();
    await expect(page.getByTestId("join-submit")).toBeVisible();
    await expect.poll(wake).toEqual(["request:screen", "release"]);
  });

  test("where autoplay is blocked (iPhone Safari), the viewer's audio starts with a tap", async ({ page, httpsPage }) => {
    // Headless Chromium plays everything (it ignores --autoplay-policy), so Safari's
    // rule is stood in for: play() of an unmuted element is refused until the person
    // has touched the page; muted (video) playback is allowed, as on iOS.
    const { page: viewer } = await httpsPage();
    await viewer.addInitScript(() => {
      // (navigator.userActivation is already set in Playwright's pages, so a tap is
      // tracked here instead.)
      let tapped = false;
      window.addEventListener("pointerdown", () => (tapped = true), true);
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        if (!this.muted && !tapped) {
          return Promise.reject(new DOMException("play() needs a user gesture", "NotAllowedError"));
        }
        return play.call(this);
      };
    });
    await page.goto("/");
    await join(page, "Ava Audio", 9);
    await viewer.goto("/viewer?channel=9");
    const tap = viewer.getByTestId("start-audio");
    await expect(tap).toBeVisible({ timeout: 20000 });
    await tap.click();
    await expect(tap).toHaveCount(0);
    await expect
      .poll(() => viewer.evaluate(() => Array.from(document.querySelectorAll("audio")).some((a) => !a.paused)))
      .toBe(true);
  });

  test("full screen falls back to an overlay where the Fullscreen API is missing (iPhone)", async ({ httpsPage }) => {
    const { page } = await httpsPage();
    await page.addInitScript(() => {
      const p = Element.prototype as unknown as Record<string, unknown>;
      delete p.requestFullscreen;
      delete p.webkitRequestFullscreen;
    });
    await page.goto("/");
    await join(page, "Fay Fallback", 15);
    await page.getByTestId("fullscreen-button").click();
    const view = page.getByTestId("program-view");
    await expect(view).toBeVisible();
    const box = await view.boundingBox();
    const vp = page.viewportSize()!;
    expect(box).toMatchObject({ x: 0, y: 0, width: vp.width, height: vp.height });
    await page.getByTestId("fullscreen-close").click();
    await expect(view).toHaveCount(0);
  });
});
