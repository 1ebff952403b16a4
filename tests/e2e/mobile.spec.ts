import { devices, type Page, type TestInfo } from "@playwright/test";
import { test, expect, join, failOnDialog } from "./fixtures";

// Phone layouts, in Chromium with Playwright's phone profiles (viewport, pixel ratio,
// touch, mobile user agent), over the HTTPS entry point as a phone would come in.
// Screenshots are attached to the report and kept in .cache/test-results.
const HTTPS = process.env.CC_HTTPS_URL ?? "https://127.0.0.1:9443";
const PHONES = ["iPhone 13", "Pixel 7"] as const;
const MIN_TOUCH = 44;

async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: "image/png" });
}

/** Each control is in the viewport without scrolling, and at least 44 px tall. */
async function expectReachable(page: Page, testIds: string[]): Promise<void> {
  const vp = page.viewportSize()!;
  const scrollY = await page.evaluate(() => window.scrollY);
  expect(scrollY).toBe(0);
  for (const id of testIds) {
    const el = page.getByTestId(id).first();
    await expect(el, id).toBeVisible();
    const box = (await el.boundingBox())!;
    expect(box.height, `${id} height`).toBeGreaterThanOrEqual(MIN_TOUCH);
    expect(box.y, `${id} top`).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height, `${id} bottom within ${vp.height}`).toBeLessThanOrEqual(vp.height);
    expect(box.x + box.width, `${id} right`).toBeLessThanOrEqual(vp.width);
  }
  // Nothing wider than the screen (no sideways scrolling).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(vp.width);
}

for (const [i, name] of PHONES.entries()) {
  test(`${name}: join page, joined state (portrait and landscape) and viewer fit the screen`, async ({ browser }, info) => {
    const { defaultBrowserType: _ignored, ...profile } = devices[name];
    const ctx = await browser.newContext({ ...profile, baseURL: HTTPS, ignoreHTTPSErrors: true });
    const page = await ctx.newPage();
    failOnDialog(page);
    const slug = name.toLowerCase().replace(/\s+/g, "-");
    const channel = 18 + i;
    try {
      await page.goto(`/?channel=${channel}`);
      await expect(page.getByTestId("join-channel")).toHaveValue(String(channel));
      await shot(page, info, `${slug}-join`);
      await expectReachable(page, ["join-name", "join-channel", "camera-front", "camera-back", "join-submit"]);

      await join(page, `${name} Person`, channel);
      await expect(page.getByTestId("connection-state")).toHaveAttribute("data-state", "connected");
      await shot(page, info, `${slug}-joined-portrait`);
      await expectReachable(page, ["mute-button", "fullscreen-button", "leave-button"]);
      await expect(page.getByTestId("local-video")).toBeInViewport();

      // Rotation: the same controls, still on screen, in landscape.
      const vp = page.viewportSize()!;
      await page.setViewportSize({ width: vp.height, height: vp.width });
      await shot(page, info, `${slug}-joined-landscape`);
      await expectReachable(page, ["mute-button", "fullscreen-button", "leave-button"]);
      await page.getByTestId("fullscreen-button").click();
      await expect(page.getByTestId("program-view")).toBeVisible();
      await shot(page, info, `${slug}-program-landscape`);
      await expectReachable(page, ["fullscreen-close"]);
      await page.getByTestId("fullscreen-close").click();
      await page.setViewportSize(vp);

      const viewer = await ctx.newPage();
      failOnDialog(viewer);
      await viewer.goto(`/viewer?channel=${channel}`);
      await expect(viewer.getByTestId("program-name")).toHaveText(`${name} Person`, { timeout: 20000 });
      await viewer.mouse.move(10, 10); // wake the auto-hiding controls
      await shot(viewer, info, `${slug}-viewer`);
      await expectReachable(viewer, ["viewer-channel", "audio-toggle"]);
    } finally {
      await ctx.close();
    }
  });
}
