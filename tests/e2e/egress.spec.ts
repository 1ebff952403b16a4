import { AccessToken, RoomServiceClient } from "livekit-server-sdk";
import type { Page } from "@playwright/test";
import { recorderGrant } from "@/lib/livekit/grants";
import { Bot } from "../helpers/bot";
import { waitForDirector } from "../helpers/director";
import { twoTalkers } from "../helpers/program";
import { botToken, testKeys, type Keys } from "../helpers/tokens";
import { test, expect } from "./fixtures";

// The egress layout, driven exactly as LiveKit Egress drives it: a 1280×720 Chrome
// opens <customBaseUrl>?url=…&token=…&layout=… with a recorder token (hidden,
// subscribe-only, recorder) and waits for START_RECORDING / END_RECORDING on the
// console. Real bots speak, the real director decides.
const livekitUrl = process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880";

test.use({ viewport: { width: 1280, height: 720 } });

const recorderIdentity = (room: string) => `EG_e2e${room.replace(/\D/g, "")}`;

async function recorderToken(keys: Keys, room: string): Promise<string> {
  // Egress joins as its egress id, with these grants.
  const at = new AccessToken(keys.key, keys.secret, { identity: recorderIdentity(room), name: "Recorder", ttl: 600 });
  at.addGrant(recorderGrant(room));
  return at.toJwt();
}

/** What Egress would load: customBaseUrl (with a query of its own, which must survive) plus url, token, layout. */
function layoutUrl(token: string, layout: string): string {
  const q = new URLSearchParams({ keep: "yes", url: livekitUrl, token, layout });
  return `/egress?${q.toString()}`;
}

interface Snapshot {
  at: number;
  programVideoWidth: number | null;
  programIdentity: string | null;
  slate: boolean;
}

/**
 * Record the console as Egress reads it, and, synchronously at the moment the page
 * logs START_RECORDING, what is on screen (so "the first frame had drawn" is checked
 * at that instant, not afterwards).
 */
async function watchConsole(page: Page): Promise<string[]> {
  const lines: string[] = [];
  page.on("console", (m) => lines.push(m.text()));
  await page.addInitScript(() => {
    const log = console.log.bind(console);
    const w = window as unknown as { __egress: Snapshot[] };
    w.__egress = [];
    console.log = (...args: unknown[]) => {
      if (args[0] === "START_RECORDING" || args[0] === "END_RECORDING") {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="program-video"]');
        w.__egress.push({
          at: performance.now(),
          programVideoWidth: v ? v.videoWidth : null,
          programIdentity: v?.dataset.identity ?? null,
          slate: document.querySelector('[data-testid="egress-slate"]') !== null,
        });
      }
      log(...args);
    };
  });
  return lines;
}

const snapshots = (page: Page) => page.evaluate(() => (window as unknown as { __egress: Snapshot[] }).__egress);

test("the layout starts on the first program frame, follows the program, and ends with the room", async ({ page }) => {
  const ROOM = "channel-18";
  const keys = testKeys();
  const rooms = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);
  const { ann, ben, speak, leave } = await twoTalkers(livekitUrl, keys, ROOM, "eg", "Egress");
  try {
    // Ann is on program before Egress arrives, as when an admin starts a recording mid-talk.
    await waitForDirector(livekitUrl, keys, ROOM);
    await speak(ann);

    const consoleLines = await watchConsole(page);
    await page.goto(layoutUrl(await recorderToken(keys, ROOM), "program-strip"));
    const layout = page.getByTestId("egress-layout");
    await expect(layout).toHaveAttribute("data-recording", "started");
    await expect.poll(() => consoleLines.filter((l) => l === "START_RECORDING").length).toBe(1);
    const [start] = await snapshots(page);
    expect(start).toMatchObject({ programVideoWidth: 320, programIdentity: ann.identity, slate: false });

    await expect(layout).toHaveAttribute("data-layout", "program-strip");
    const size = await page.evaluate(() => [window.innerWidth, window.innerHeight]);
    expect(size).toEqual([1280, 720]);
    await expect(page.getByTestId("egress-lower-third")).toHaveText("Ann Egress");
    // The strip shows the others, not the program.
    await expect(page.getByTestId("egress-strip-tile")).toHaveCount(1);
    await expect(page.getByTestId("egress-strip-tile")).toHaveAttribute("data-identity", ben.identity);
    await page.screenshot({ path: ".cache/test-results/egress-program-strip.png" });
    await ann.drained();

    for (const [bot, other, name] of [
      [ben, ann, "Ben Egress"],
      [ann, ben, "Ann Egress"],
    ] as const) {
      await speak(bot);
      const video = page.getByTestId("program-video");
      await expect(video).toHaveAttribute("data-identity", bot.identity);
      await expect(video).toHaveAttribute("data-track-sid", bot.cameraSid!);
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(320);
      await expect(page.getByTestId("egress-lower-third")).toHaveText(name);
      await expect(page.getByTestId("egress-strip-tile")).toHaveAttribute("data-identity", other.identity);
      await bot.drained();
    }
    expect(consoleLines.filter((l) => l === "START_RECORDING")).toHaveLength(1);
    expect(consoleLines).not.toContain("END_RECORDING");

    // Egress.UpdateLayout: Egress writes {"layout": …} into its own participant's
    // metadata; the page switches without reconnecting or logging START_RECORDING again.
    await rooms.updateParticipant(ROOM, recorderIdentity(ROOM), { metadata: JSON.stringify({ layout: "single-speaker" }) });
    await expect(layout).toHaveAttribute("data-layout", "program");
    await expect(page.getByTestId("egress-strip")).toHaveCount(0);
    await expect(page.getByTestId("egress-lower-third")).toHaveText("Ann Egress");
    expect(consoleLines.filter((l) => l === "START_RECORDING")).toHaveLength(1);

    await rooms.deleteRoom(ROOM);
    await expect.poll(() => consoleLines.includes("END_RECORDING")).toBe(true);
    await expect(layout).toHaveAttribute("data-phase", "ended");
  } finally {
    await leave();
  }
});

test("with nobody on program the layout records a clean slate after a short wait", async ({ page }) => {
  const ROOM = "channel-19";
  const keys = testKeys();
  const rooms = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);
  const cat = new Bot("p_eg_cat");
  try {
    // In the room, camera on, silent: the director has no reason to put anyone on program.
    await cat.join(livekitUrl, await botToken(keys, ROOM, cat.identity, { name: "Cat Quiet" }), { video: true });
    const consoleLines = await watchConsole(page);
    const t0 = Date.now();
    await page.goto(layoutUrl(await recorderToken(keys, ROOM), ""));
    await expect(page.getByTestId("egress-slate")).toBeVisible();
    await expect(page.getByTestId("egress-slate")).toContainText("Channel 19");
    await expect.poll(() => consoleLines.includes("START_RECORDING")).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    const [start] = await snapshots(page);
    expect(start).toMatchObject({ slate: true, programVideoWidth: null });
    await page.screenshot({ path: ".cache/test-results/egress-slate.png" });
    const layout = page.getByTestId("egress-layout");
    await expect(layout).toHaveAttribute("data-layout", "program");
    await expect(page.getByTestId("egress-strip")).toHaveCount(0);
    await expect(page.getByTestId("egress-lower-third")).toHaveCount(0);

    await rooms.deleteRoom(ROOM);
    await expect.poll(() => consoleLines.includes("END_RECORDING")).toBe(true);
  } finally {
    await cat.leave().catch(() => undefined);
  }
});

test("opened without Egress's query it explains itself and records nothing", async ({ page }) => {
  const consoleLines = await watchConsole(page);
  await page.goto("/egress");
  await expect(page.getByTestId("egress-layout")).toHaveAttribute("data-phase", "failed");
  await expect(page.getByText("This page is drawn for LiveKit Egress")).toBeVisible();
  expect(consoleLines).not.toContain("START_RECORDING");
});
