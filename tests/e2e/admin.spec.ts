import { join as pathJoin } from "node:path";
import type { Page } from "@playwright/test";
import { Bot } from "../helpers/bot";
import { waitForDirector } from "../helpers/director";
import { botToken, testKeys } from "../helpers/tokens";
import { readWav } from "../helpers/wav";
import { adminPassword } from "../helpers/secrets";
import { expect, join, signIn, test } from "./fixtures";

// The admin's desk, end to end: a real browser signs in to /friends and acts on real
// participants (rtc-node bots and fake-media browsers) through the real stack.
const livekitUrl = process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880";
const fx = (n: string) => readWav(pathJoin(__dirname, "..", "fixtures", "audio", n)).samples;
const EVIL = "<img src=x onerror=alert(1)>";

const row = (page: Page, name: string) => page.getByTestId("friends-participant").filter({ has: page.getByTestId("friends-name").getByText(name, { exact: true }) });

/** Keep a bot talking for a while (clips back to back with short gaps). */
function keepTalking(bot: Bot, clips: string[]): void {
  for (const c of clips) void bot.say(fx(c));
}

test("an admin signs in and sees two channels with live speaking indicators", async ({ page, bot }) => {
  const keys = testKeys();
  const a = bot("p_e2e_desk_a");
  const b = bot("p_e2e_desk_b");
  await a.join(livekitUrl, await botToken(keys, "channel-9", a.identity, { name: "Desk Ada" }));
  await b.join(livekitUrl, await botToken(keys, "channel-10", b.identity, { name: "Desk Bo" }));
  await signIn(page, { wrongFirst: true });
  const ch9 = page.locator('[data-testid="friends-channel"][data-channel="9"]');
  const ch10 = page.locator('[data-testid="friends-channel"][data-channel="10"]');
  await expect(ch9).toBeVisible();
  await expect(ch10).toBeVisible();
  await expect(row(page, "Desk Ada")).toHaveAttribute("data-speaking", "false");
  await waitForDirector(livekitUrl, keys, "channel-9");
  await waitForDirector(livekitUrl, keys, "channel-10");
  keepTalking(a, ["speech-alice.wav"]);
  keepTalking(b, ["speech-bob.wav"]);
  await expect(row(page, "Desk Ada")).toHaveAttribute("data-speaking", "true", { timeout: 5000 });
  await expect(row(page, "Desk Bo")).toHaveAttribute("data-speaking", "true", { timeout: 5000 });
  // The level meter moves and the director's program shows.
  await expect
    .poll(() => row(page, "Desk Ada").getByTestId("friends-meter").evaluate((el) => getComputedStyle(el).transform))
    .not.toBe("matrix(0, 0, 0, 1, 0, 0)");
  await expect(ch9.getByTestId("friends-program-name")).toHaveText("Desk Ada");
  await expect(row(page, "Desk Ada")).toHaveAttribute("data-program", "true");
  await expect(row(page, "Desk Ada").getByTestId("friends-mic")).toHaveAttribute("data-state", "live");
  await expect(ch9.getByTestId("friends-timeline")).toBeVisible();
  await expect(page.getByTestId("friends-stream-status")).toHaveAttribute("data-status", "live");
  // Once they stop, the indicators go quiet again.
  await a.drained();
  await expect(row(page, "Desk Ada")).toHaveAttribute("data-speaking", "false", { timeout: 5000 });
  // /debug in a browser is the drawn view of the same JSON.
  await page.goto("/debug");
  const room9 = page.locator('[data-testid="debug-room"][data-room="channel-9"]');
  await expect(room9).toBeVisible();
  await expect(room9.locator('svg[aria-label="levels"] polyline')).not.toHaveCount(0);
  await expect(room9.getByTestId("debug-decision").first()).toContainText("Desk Ada");
  const json = await page.request.get("/debug", { headers: { accept: "application/json" } });
  expect(json.headers()["content-type"]).toMatch(/application\/json/);
  expect(((await json.json()) as { rooms: unknown[] }).rooms.length).toBeGreaterThan(0);
  await page.goto("/friends");
  // Sign out ends the session: /friends asks for the password again.
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/friends");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("the admin pins, mutes and removes a participant, and each shows on their own page", async ({ page, browser, bot }) => {
  const keys = testKeys();
  const sam = bot("p_e2e_desk_sam");
  const guest = await browser.newContext();
  try {
    await sam.join(livekitUrl, await botToken(keys, "channel-8", sam.identity, { name: "Silent Sam" }), { video: true });
    const pat = await guest.newPage();
    await pat.goto("/");
    await join(pat, "Pat Participant", 8);
    await waitForDirector(livekitUrl, keys, "channel-8");
    await pat.getByTestId("fullscreen-button").click();
    await expect(pat.getByTestId("program-view")).toBeVisible();

    await signIn(page);
    await expect(row(page, "Pat Participant")).toBeVisible();
    await expect(row(page, "Silent Sam")).toBeVisible();

    // Pin: the silent bot goes on program on Pat's screen, marked as pinned.
    await row(page, "Silent Sam").getByTestId("friends-pin").click();
    await expect(row(page, "Silent Sam")).toHaveAttribute("data-pinned", "true");
    await expect(pat.getByTestId("program-name")).toHaveText("Silent Sam");
    await expect(pat.getByTestId("program-pinned")).toBeVisible();
    await expect(row(page, "Silent Sam")).toHaveAttribute("data-program", "true");
    // Unpin hands the program back to the director.
    await row(page, "Silent Sam").getByTestId("friends-unpin").click();
    await expect(row(page, "Silent Sam")).toHaveAttribute("data-pinned", "false");
    await expect(pat.getByTestId("program-pinned")).toHaveCount(0);
    await pat.getByTestId("fullscreen-close").click();

    // Mute: Pat's own mute button shows the microphone muted.
    await expect(pat.getByTestId("mute-button")).toHaveAttribute("aria-pressed", "false");
    await row(page, "Pat Participant").getByTestId("friends-mute").click();
    await expect(pat.getByTestId("mute-button")).toHaveAttribute("aria-pressed", "true");
    await expect(row(page, "Pat Participant").getByTestId("friends-mic")).toHaveAttribute("data-state", "muted");

    // Remove asks first; Cancel keeps them.
    await row(page, "Pat Participant").getByTestId("friends-remove").click();
    await row(page, "Pat Participant").getByTestId("friends-remove-cancel").click();
    await expect(row(page, "Pat Participant")).toBeVisible();
    await row(page, "Pat Participant").getByTestId("friends-remove").click();
    await row(page, "Pat Participant").getByTestId("friends-remove-confirm").click();
    await expect(pat.getByTestId("disconnected-notice")).toContainText("removed");
    await expect(row(page, "Pat Participant")).toHaveCount(0);
    // The channel's activity log shows the admin's actions.
    const log = page.locator('[data-testid="friends-channel"][data-channel="8"] [data-testid="friends-activity"]');
    await expect(log.locator('[data-kind="pin"]')).not.toHaveCount(0);
    await expect(log.locator('[data-kind="mute"]')).not.toHaveCount(0);
    await expect(log.locator('[data-kind="remove"]')).not.toHaveCount(0);
  } finally {
    await guest.close();
  }
});

test("a pin reaches the viewer within 1 s and holds while others speak; unpin hands back", async ({ page, bot }) => {
  const keys = testKeys();
  const talker = bot("p_e2e_pin_talker");
  const quiet = bot("p_e2e_pin_quiet");
  const base = process.env.CC_APP_URL ?? "http://127.0.0.1:9000";
  const pinTo = async (identity: string | null) => {
    const res = await fetch(`${base}/api/admin/pin`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminPassword()}` },
      body: JSON.stringify({ channel: 14, identity }),
    });
    expect(res.status).toBe(200);
  };
  await talker.join(livekitUrl, await botToken(keys, "channel-14", talker.identity, { name: "Tia Talker" }), { video: true });
  await quiet.join(livekitUrl, await botToken(keys, "channel-14", quiet.identity, { name: "Quinn Quiet" }), { video: true });
  await page.goto("/viewer?channel=14");
  await waitForDirector(livekitUrl, keys, "channel-14");
  keepTalking(talker, ["speech-alice.wav", "speech-bob.wav"]);
  await expect(page.getByTestId("program-name")).toHaveText("Tia Talker");

  const shown = page.waitForFunction(
    () => document.querySelector('[data-testid="program-video"]')?.getAttribute("data-identity") === "p_e2e_pin_quiet",
    undefined,
    { polling: "raf", timeout: 5000 },
  );
  const t0 = Date.now();
  await pinTo(quiet.identity);
  await shown;
  const ms = Date.now() - t0;
  console.log(`pin -> viewer shows the pinned participant's video: ${ms} ms`);
  expect(ms).toBeLessThan(1000);
  await expect(page.getByTestId("program-name")).toHaveText("Quinn Quiet");
  await expect(page.getByTestId("program-pinned")).toBeVisible();
  // Tia keeps talking; Quinn stays.
  for (let i = 0; i < 10; i++) {
    await expect(page.getByTestId("program-name")).toHaveText("Quinn Quiet", { timeout: 100 });
    await page.waitForTimeout(200);
  }
  expect(talker.busy).toBe(true);
  await pinTo(null);
  await expect(page.getByTestId("program-name")).toHaveText("Tia Talker", { timeout: 5000 });
  await expect(page.getByTestId("program-pinned")).toHaveCount(0);
});

test("a participant named like markup shows as text on /, /viewer and /friends", async ({ page, browser, bot }) => {
  const keys = testKeys();
  // The token API refuses < and > in names (defence in depth), so mint directly: the
  // screens must be safe on their own.
  const evil = bot("p_e2e_xss");
  const guest = await browser.newContext();
  const viewerCtx = await browser.newContext();
  try {
    await evil.join(livekitUrl, await botToken(keys, "channel-13", evil.identity, { name: EVIL }), { video: true });
    // Pinned, so they hold the program whoever else speaks (the browser below talks too).
    const pinned = await fetch(`${process.env.CC_APP_URL ?? "http://127.0.0.1:9000"}/api/admin/pin`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminPassword()}` },
      body: JSON.stringify({ channel: 13, identity: evil.identity }),
    });
    expect(pinned.status).toBe(200);

    const p = await guest.newPage();
    const v = await viewerCtx.newPage();
    for (const pg of [p, v]) {
      pg.on("dialog", async (d) => {
        await d.dismiss().catch(() => undefined);
        throw new Error(`unexpected ${d.type()} dialog: ${d.message()}`);
      });
    }
    await p.goto("/");
    await join(p, "Xavier Safe", 13);
    const tile = p.getByTestId("participant-tile").filter({ hasText: EVIL });
    await expect(tile).toBeVisible();
    await expect(tile).toHaveAttribute("data-name", EVIL);

    await v.goto("/viewer?channel=13");
    await expect(v.getByTestId("program-name")).toHaveText(EVIL);

    await signIn(page);
    await expect(row(page, EVIL)).toBeVisible();
    await expect(row(page, EVIL).getByTestId("friends-name")).toHaveText(EVIL);
    await expect(page.locator('[data-testid="friends-channel"][data-channel="13"] [data-testid="friends-program-name"]')).toHaveText(EVIL);

    for (const pg of [p, v, page]) {
      await expect(pg.locator('img[src="x"]')).toHaveCount(0);
      expect(await pg.evaluate(() => (window as unknown as { __xss?: boolean }).__xss)).toBeUndefined();
    }
  } finally {
    await guest.close();
    await viewerCtx.close();
  }
});
