import { waitForDirector } from "../helpers/director";
import { twoTalkers } from "../helpers/program";
import { testKeys } from "../helpers/tokens";
import { test, expect } from "./fixtures";

// Bots are real rtc-node participants with a camera and a microphone; the director
// decides; the viewer page must show whoever the director put on program.
const livekitUrl = process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880";
const ROOM = "channel-16";

test("the viewer follows the program as bots speak", async ({ page }) => {
  const keys = testKeys();
  const { ann, ben, speak, leave } = await twoTalkers(livekitUrl, keys, ROOM, "e2e", "Viewer-Test");
  try {
    await waitForDirector(livekitUrl, keys, ROOM);
    await page.goto("/viewer?channel=16");
    await expect(page.getByTestId("waiting-state")).toBeVisible();

    for (const [bot, name] of [
      [ann, "Ann Viewer-Test"],
      [ben, "Ben Viewer-Test"],
    ] as const) {
      await speak(bot);
      await expect(page.getByTestId("program-name")).toHaveText(name);
      const video = page.getByTestId("program-video");
      await expect(video).toHaveAttribute("data-identity", bot.identity);
      await expect(video).toHaveAttribute("data-track-sid", bot.cameraSid!);
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(320);
      await expect(page.getByTestId("onair-indicator")).toBeVisible();
      await bot.drained();
    }
  } finally {
    await leave();
  }
});

test("?clean=1 hides all chrome", async ({ page }) => {
  await page.goto("/viewer?channel=17&clean=1");
  await expect(page.getByTestId("viewer-channel")).toHaveCount(0);
  await expect(page.getByTestId("audio-toggle")).toHaveCount(0);
});
