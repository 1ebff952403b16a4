import { test, expect, join } from "./fixtures";

test.describe("participant page", () => {
  test("two people join channel 3 and each sees the other's video and name", async ({ browser }) => {
    const a = await browser.newContext();
    const b = await browser.newContext();
    try {
      const pa = await a.newPage();
      const pb = await b.newPage();
      await pa.goto("/");
      await pb.goto("/");
      await join(pa, "Ada E2E", 3);
      await join(pb, "Bea E2E", 3);
      await expect(pa.getByTestId("connection-state")).toHaveAttribute("data-state", "connected");

      for (const [page, other] of [
        [pa, "Bea E2E"],
        [pb, "Ada E2E"],
      ] as const) {
        const tile = page.locator(`[data-testid="participant-tile"][data-name="${other}"]`);
        await expect(tile).toBeVisible();
        await expect(tile).toContainText(other);
        // The tile shows real video: the element has decoded frames.
        await expect
          .poll(async () => tile.locator("video").evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15000 })
          .toBeGreaterThan(0);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("mute state and the form's prefill survive a reload", async ({ page }) => {
    await page.goto("/");
    await join(page, "Reload Rita", 5);
    const mute = page.getByTestId("mute-button");
    await expect(mute).toHaveAttribute("aria-pressed", "false");
    await mute.click();
    await expect(mute).toHaveAttribute("aria-pressed", "true");

    await page.reload();
    await expect(page.getByTestId("join-name")).toHaveValue("Reload Rita");
    await expect(page.getByTestId("join-channel")).toHaveValue("5");
    await page.getByTestId("join-submit").click();
    await expect(page.getByTestId("local-video")).toHaveAttribute("data-published", "true");
    await expect(page.getByTestId("mute-button")).toHaveAttribute("aria-pressed", "true");
  });

  test("an invalid channel shows a message and sends no request", async ({ page }) => {
    const tokenRequests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/token")) tokenRequests.push(r.url());
    });
    await page.goto("/");
    await page.getByTestId("join-name").fill("Val");
    for (const bad of ["0", "21", "2.5"]) {
      await page.getByTestId("join-channel").fill(bad);
      await page.getByTestId("join-submit").click();
      await expect(page.getByTestId("join-error")).toBeVisible();
      await expect(page.getByTestId("join-error")).toContainText(/channel/i);
    }
    expect(tokenRequests).toEqual([]);
    await expect(page.getByTestId("local-video")).toHaveCount(0);
  });

  test("a refused token shows a human message with a retry", async ({ page }) => {
    // Mocked on purpose: the real /api/token refuses exactly what the form already
    // refuses, so a browser cannot reach a refusal without one. The route answers
    // what the server answers for bad input.
    await page.route("**/api/token", (route) =>
      route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify({ error: "invalid token request", code: "bad_request" }) }),
    );
    await page.goto("/");
    await page.getByTestId("join-name").fill("Tom");
    await page.getByTestId("join-channel").fill("4");
    await page.getByTestId("join-submit").click();
    await expect(page.getByTestId("connection-error")).toBeVisible();
    await expect(page.getByTestId("retry-button")).toBeVisible();
  });
});
