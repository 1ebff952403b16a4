import { join as pathJoin } from "node:path";
import { Room } from "@livekit/rtc-node";
import { Bot } from "../helpers/bot";
import { waitForDirector } from "../helpers/director";
import { programWatcher } from "../helpers/program";
import { botToken, testKeys } from "../helpers/tokens";
import { readWav } from "../helpers/wav";
import { test, expect } from "./fixtures";

// Bots are real rtc-node participants with a camera and a microphone; the director
// decides; the viewer page must show whoever the director put on program.
const livekitUrl = process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880";
const fx = (n: string) => readWav(pathJoin(__dirname, "..", "fixtures", "audio", n)).samples;
const ROOM = "channel-16";

test("the viewer follows the program as bots speak", async ({ page }) => {
  const keys = testKeys();
  const ann = new Bot("p_e2e_ann");
  const ben = new Bot("p_e2e_ben");
  const watcher = new Room();
  try {
    await ann.join(livekitUrl, await botToken(keys, ROOM, ann.identity, { name: "Ann Viewer-Test" }), { video: true });
    await ben.join(livekitUrl, await botToken(keys, ROOM, ben.identity, { name: "Ben Viewer-Test" }), { video: true });
    await watcher.connect(livekitUrl, await botToken(keys, ROOM, "v_e2e_watch", { role: "viewer" }), {
      autoSubscribe: false,
      dynacast: false,
    });
    const became = programWatcher(watcher);

    await waitForDirector(livekitUrl, keys, ROOM);
    await page.goto("/viewer?channel=16");
    await expect(page.getByTestId("waiting-state")).toBeVisible();

    for (const [bot, name, clip] of [
      [ann, "Ann Viewer-Test", "speech-alice.wav"],
      [ben, "Ben Viewer-Test", "speech-bob.wav"],
    ] as const) {
      await bot.say(fx(clip));
      await became(bot.identity);
      await expect(page.getByTestId("program-name")).toHaveText(name);
      const video = page.getByTestId("program-video");
      await expect(video).toHaveAttribute("data-identity", bot.identity);
      await expect(video).toHaveAttribute("data-track-sid", bot.cameraSid!);
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(320);
      await expect(page.getByTestId("onair-indicator")).toBeVisible();
      await bot.drained();
    }
  } finally {
    await ann.leave().catch(() => undefined);
    await ben.leave().catch(() => undefined);
    await watcher.disconnect().catch(() => undefined);
  }
});

test("?clean=1 hides all chrome", async ({ page }) => {
  await page.goto("/viewer?channel=17&clean=1");
  await expect(page.getByTestId("viewer-channel")).toHaveCount(0);
  await expect(page.getByTestId("audio-toggle")).toHaveCount(0);
});
