import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { Bot } from "../helpers/bot";
import { adminPassword, leakedIn } from "../helpers/secrets";

/**
 * Every page in these tests fails the test on a dialog (an XSS would open one), and
 * every response any browser context receives is checked for the LiveKit API secret
 * and the admin password (server-sent streams are checked by the integration tests).
 */
export const test = base.extend<{ noSecrets: void; bot: (identity: string) => Bot }, { secretWatch: void }>({
  secretWatch: [
    async ({ browser }, provide) => {
      const original = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof original>) => {
        const ctx = await original(...args);
        watchSecrets(ctx);
        return ctx;
      };
      await provide();
    },
    { scope: "worker", auto: true },
  ],
  noSecrets: [
    async ({ context }, provide) => {
      watchSecrets(context);
      await provide();
      await Promise.race([Promise.allSettled([...pending]), new Promise((r) => setTimeout(r, 5000))]);
      const found = leaks.splice(0);
      expect(found, "responses must never contain the API secret or the admin password").toEqual([]);
    },
    { auto: true },
  ],
  page: async ({ page }, provide) => {
    failOnDialog(page);
    await provide(page);
  },
  /** `bot(identity)` makes an rtc-node bot that leaves the room when the test ends, pass or fail. */
  bot: async ({}, provide) => {
    const bots: Bot[] = [];
    await provide((identity) => {
      const b = new Bot(identity);
      bots.push(b);
      return b;
    });
    for (const b of bots) await b.leave().catch(() => undefined);
  },
});

const leaks: string[] = [];
const pending = new Set<Promise<void>>();
const watched = new WeakSet<BrowserContext>();

function watchSecrets(ctx: BrowserContext): void {
  if (watched.has(ctx)) return;
  watched.add(ctx);
  ctx.on("response", (res) => {
    const type = res.headers()["content-type"] ?? "";
    if (type.includes("event-stream") || /^(video|audio|image)\//.test(type)) return;
    const check = res
      .body()
      .then((buf) => {
        const text = buf.toString("utf8");
        for (const name of leakedIn(text)) leaks.push(`${name} in ${res.status()} ${res.url()}`);
      })
      .catch(() => undefined)
      .finally(() => pending.delete(check));
    pending.add(check);
  });
}

export function failOnDialog(page: Page): void {
  page.on("dialog", async (dialog) => {
    await dialog.dismiss().catch(() => undefined);
    throw new Error(`unexpected ${dialog.type()} dialog: ${dialog.message()}`);
  });
}

export { expect };

/** Fill the join form and join; resolves when the local camera is published. */
export async function join(page: Page, name: string, channel: number): Promise<void> {
  await page.getByTestId("join-name").fill(name);
  await page.getByTestId("join-channel").fill(String(channel));
  await page.getByTestId("join-submit").click();
  // Camera, token, connect and publish: a few seconds, more on a busy 2-core machine.
  await expect(page.getByTestId("local-video")).toHaveAttribute("data-published", "true", { timeout: 30_000 });
}

/** Open an admin page, get sent to /login, sign in (optionally with a wrong password first) and land back on it. */
export async function signIn(page: Page, { path = "/friends", wrongFirst = false } = {}): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login\?next=/);
  if (wrongFirst) {
    await page.getByTestId("login-password").fill("definitely-wrong");
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toHaveText("Wrong password.");
  }
  await page.getByTestId("login-password").fill(adminPassword());
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(new RegExp(`${path.replace("/", "\\/")}$`));
}
