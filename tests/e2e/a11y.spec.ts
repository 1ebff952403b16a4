import { join as pathJoin } from "node:path";
import type { Page } from "@playwright/test";
import { seriousViolations } from "../helpers/axe";
import { Bot } from "../helpers/bot";
import { waitForDirector } from "../helpers/director";
import { botToken, testKeys } from "../helpers/tokens";
import { readWav } from "../helpers/wav";
import { expect, join, signIn, test } from "./fixtures";

// Accessibility, checked with axe-core (the engine behind Lighthouse's audit) on every
// page in the real browser: no serious or critical violation may remain. Each page is
// audited in the state people see it in: the call with someone else in it, /friends
// and /debug with a live channel and a program.
const livekitUrl = process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880";
const ROOM = "channel-7";
const fx = (n: string) => readWav(pathJoin(__dirname, "..", "fixtures", "audio", n)).samples;

test("axe reports a real violation (the audit can fail)", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByTestId("login-password")).toBeVisible();
  // Dark grey on black, about 1.7:1 against the 4.5:1 that normal text needs.
  await page.evaluate(() => {
    const p = document.createElement("p");
    p.id = "low-contrast";
    p.textContent = "hard to read";
    p.style.cssText = "color:#333;background:#000;font-size:14px";
    document.body.append(p);
  });
  const found = await seriousViolations(page);
  expect(found.some((v) => v.startsWith("color-contrast (serious): #low-contrast"))).toBe(true);
});

test("every page passes axe with no serious or critical violations", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const keys = testKeys();
  const bot = new Bot("p_e2e_a11y_bot");
  // Every page is audited before the verdict, so one run lists all that is wrong.
  const found: string[] = [];
  const expectAccessible = async (pg: Page, what: string) => {
    for (const v of await seriousViolations(pg)) found.push(`${what}: ${v}`);
  };
  try {
    await page.goto("/");
    await expect(page.getByTestId("join-name")).toBeVisible();
    await expectAccessible(page, "/ (the join form)");
    // The form as it looks with its errors showing.
    await page.getByTestId("join-submit").click();
    await expect(page.getByTestId("join-error")).toBeVisible();
    await expectAccessible(page, "/ (the join form with errors)");

    await join(page, "Axe Person", 7);
    await expect(page.getByText("Nobody else yet")).toBeVisible();
    await expectAccessible(page, "the call, alone");
    await bot.join(livekitUrl, await botToken(keys, ROOM, bot.identity, { name: "Axe Bot" }), { video: true });
    await waitForDirector(livekitUrl, keys, ROOM);
    void bot.say(fx("speech-alice.wav"));
    await expect(page.locator('[data-testid="participant-tile"][data-name="Axe Bot"]')).toBeVisible();
    await expectAccessible(page, "the call");
    await page.getByTestId("fullscreen-button").click();
    await expect(page.getByTestId("program-view")).toBeVisible();
    await expectAccessible(page, "the call's program view");
    await page.getByTestId("fullscreen-close").click();

    const ctx = await browser.newContext();
    const other = await ctx.newPage();
    try {
      await other.goto("/viewer");
      await expect(other.getByTestId("viewer-channel")).toBeVisible();
      await expectAccessible(other, "/viewer (the channel picker)");
      await other.goto("/viewer?channel=7");
      await expect(other.getByTestId("program-name")).toBeVisible({ timeout: 20_000 });
      await expectAccessible(other, "/viewer?channel=7");

      await other.goto("/egress");
      await expect(other.getByTestId("egress-layout")).toHaveAttribute("data-phase", "failed");
      await expectAccessible(other, "/egress (opened without Egress's query)");

      await other.goto("/login");
      await expect(other.getByTestId("login-password")).toBeVisible();
      await expectAccessible(other, "/login");

      await signIn(other);
      await expect(other.locator('[data-testid="friends-channel"][data-channel="7"]')).toBeVisible();
      await expect(other.getByTestId("friends-participant").first()).toBeVisible();
      await expectAccessible(other, "/friends");

      await other.goto("/debug");
      await expect(other.locator(`[data-testid="debug-room"][data-room="${ROOM}"]`)).toBeVisible();
      await expectAccessible(other, "/debug");
    } finally {
      await ctx.close();
    }
  } finally {
    await bot.leave().catch(() => undefined);
  }
  expect(found, "axe: serious or critical violations").toEqual([]);
});
