import { test as base, expect, type Page } from "@playwright/test";

/** Every page in these tests fails the test on a dialog (an XSS would open one). */
export const test = base.extend({
  page: async ({ page }, provide) => {
    failOnDialog(page);
    await provide(page);
  },
});

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
  await expect(page.getByTestId("local-video")).toHaveAttribute("data-published", "true");
}
