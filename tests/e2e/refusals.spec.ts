/**
 * Every refusal of a token reaches the person as words on the page: a wrong or missing
 * join code, a full channel, a removal (ban), too many attempts. Against an app
 * instance of its own (JOIN_CODE, one participant and one viewer per channel, a low
 * token rate), started beside the stack's and sharing its real livekit-server.
 */
import { test, expect } from "./fixtures";
import { startApp, type AppInstance } from "../helpers/app-instance";

const CODE = "e2e-code-31415";
const PASSWORD = "refusals-e2e-admin-8a2c";
const RATE = 40;
let app: AppInstance;

// Serial: the tests share the instance's token budget, which the last one uses up.
// Each joins several browsers through the real stack; on a busy 2-core machine that
// takes longer than the default minute.
test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async () => {
  app = await startApp({
    JOIN_CODE: CODE,
    ADMIN_PASSWORD: PASSWORD,
    MAX_PARTICIPANTS_PER_CHANNEL: "1",
    MAX_VIEWERS_PER_CHANNEL: "1",
    TOKEN_RATE_PER_MINUTE: String(RATE),
    TOKEN_RATE_PER_BROWSER_PER_MINUTE: "0",
    PHONE_URL: "https://phone.example.test:9443",
  });
});

test.afterAll(async () => {
  await app?.stop();
});

test("the join code: asked for on the page, a wrong one named, the right one joins, the phone QR carries it; a full channel and a removal are named too", async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const page = await first.newPage();
    await page.goto(`${app.url}/?channel=4`);
    const code = page.getByTestId("join-code");
    await expect(code).toBeVisible();
    await expect(code).toHaveValue("");
    // No code: the form says so and sends nothing.
    await page.getByTestId("join-name").fill("Cora Code");
    await page.getByTestId("join-submit").click();
    await expect(page.getByTestId("join-error")).toContainText("join code");

    await code.fill("not-the-code");
    await page.getByTestId("join-submit").click();
    const error = page.getByTestId("connection-error");
    await expect(error).toHaveAttribute("data-kind", "join-code");
    await expect(error).toContainText("Wrong join code");

    await page.getByRole("button", { name: "Change name or channel" }).click();
    await page.getByTestId("join-code").fill(CODE);
    // The phone QR carries the code the person entered.
    await page.getByTestId("phone-join-button").click();
    await expect(page.getByTestId("phone-join-dialog").getByRole("img")).toHaveAttribute("aria-label", /code=e2e-code-31415/);
    await page.keyboard.press("Escape");
    await page.getByTestId("join-submit").click();
    await expect(page.getByTestId("local-video")).toHaveAttribute("data-published", "true", { timeout: 30_000 });

    // A second person, arriving by the QR link (?code=…), finds the channel full (1 place).
    const other = await second.newPage();
    await other.goto(`${app.url}/?channel=4&code=${CODE}`);
    await expect(other.getByTestId("join-code")).toHaveValue(CODE);
    await other.getByTestId("join-name").fill("Fay Full");
    await other.getByTestId("join-submit").click();
    const full = other.getByTestId("connection-error");
    await expect(full).toHaveAttribute("data-kind", "channel-full");
    await expect(full).toContainText("This channel is full");

    // An organiser removes the first person; rejoining is refused, with the reason.
    const status = await (await fetch(`${app.url}/api/admin/friends`, { headers: { authorization: `Bearer ${PASSWORD}` } })).json() as {
      channels: Record<string, { participants: { identity: string; name: string }[] }>;
    };
    const cora = status.channels["channel-4"]!.participants.find((p) => p.name === "Cora Code")!;
    const removed = await fetch(`${app.url}/api/admin/remove`, {
      method: "POST",
      headers: { authorization: `Bearer ${PASSWORD}`, "content-type": "application/json" },
      body: JSON.stringify({ channel: 4, identity: cora.identity }),
    });
    expect(removed.status).toBe(200);
    await expect(page.getByTestId("disconnected-notice")).toBeVisible();
    await page.getByTestId("rejoin-button").click();
    const banned = page.getByTestId("connection-error");
    await expect(banned).toHaveAttribute("data-kind", "banned");
    await expect(banned).toContainText("You were removed from this channel");
    await expect(banned).toContainText("minutes");
  } finally {
    await first.close();
    await second.close();
  }
});

test("the viewer asks for the join code when it has none, then plays; a second viewer finds the channel full; the admin sees and removes the first", async ({ browser }) => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  const desk = await browser.newContext();
  try {
    const viewer = await a.newPage();
    await viewer.goto(`${app.url}/viewer?channel=6`);
    const error = viewer.getByTestId("connection-error");
    await expect(error).toHaveAttribute("data-kind", "join-code");
    await expect(error).toContainText("This event needs a join code");
    await viewer.getByTestId("viewer-join-code").fill(CODE);
    await viewer.getByTestId("retry-button").click();
    await expect(viewer.getByTestId("connection-error")).toHaveCount(0);
    await expect(viewer.getByTestId("connection-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });

    const second = await b.newPage();
    await second.goto(`${app.url}/viewer?channel=6&code=${CODE}`);
    const full = second.getByTestId("connection-error");
    await expect(full).toHaveAttribute("data-kind", "channel-full");
    await expect(full).toContainText("This channel is full");

    // /friends shows the channel's viewer (count and each) and removes it.
    const admin = await desk.newPage();
    await admin.goto(`${app.url}/friends`);
    await admin.getByTestId("login-password").fill(PASSWORD);
    await admin.getByTestId("login-submit").click();
    const card = admin.locator('[data-testid="friends-channel"][data-channel="6"]');
    await expect(card.getByTestId("friends-viewer-count")).toHaveText("1 viewer");
    await card.getByTestId("friends-viewers").locator("summary").click();
    await expect(card.getByTestId("friends-viewer")).toHaveCount(1);
    await card.getByTestId("friends-viewer-remove").click();
    await card.getByTestId("friends-viewer-remove-confirm").click();
    await expect(card).toHaveCount(0);
    // The removed viewer is told, and may not come back for REMOVE_BAN_MINUTES.
    await expect(viewer.getByTestId("connection-error")).toBeVisible();
    await viewer.getByTestId("retry-button").click();
    await expect(viewer.getByTestId("connection-error")).toHaveAttribute("data-kind", "banned");
    // The place is free for the other screen. It retries by itself every few seconds,
    // so it may already be in by now: tap "Try again" only while it is still shown.
    const retry = second.getByTestId("retry-button");
    if (await retry.isVisible()) await retry.click({ timeout: 2000 }).catch(() => undefined);
    await expect(second.getByTestId("connection-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  } finally {
    await a.close();
    await b.close();
    await desk.close();
  }
});

test("too many attempts from one network are named, with when to try again", async ({ page }) => {
  await page.goto(`${app.url}/?channel=8&code=${CODE}`);
  await page.getByTestId("join-name").fill("Rita Rate");
  // Use up this address's token budget (the browser shares it: same address), right
  // before the join. The window slides: requests the earlier tests made expire one by
  // one, each freeing a place. So burn until the 429 says the next place frees in 5 s or
  // more (its Retry-After is exactly that), and only then join. Burning before the page
  // loaded once let a place free up meanwhile on a slow machine, and the join went in.
  let retryAfterS = 0;
  for (let i = 0; i < 4 * RATE && retryAfterS < 5; i++) {
    const res = await page.request.post(`${app.url}/api/token`, { data: { name: "Burner", channel: 8, role: "viewer", code: CODE } });
    if (res.status() !== 429) continue;
    retryAfterS = Number(res.headers()["retry-after"]);
    // The oldest counted request leaves within seconds: wait for that, as the limiter says.
    if (retryAfterS < 5) await page.waitForTimeout(retryAfterS * 1000);
  }
  expect(retryAfterS).toBeGreaterThanOrEqual(5);
  await page.getByTestId("join-submit").click();
  const error = page.getByTestId("connection-error");
  await expect(error).toHaveAttribute("data-kind", "rate-limited");
  await expect(error).toContainText("Too many join attempts");
  await expect(error).toContainText(/Try again in \d+ seconds/);
});
