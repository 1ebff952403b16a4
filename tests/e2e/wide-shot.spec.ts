/**
 * The wide shot and the dissolve on the real stack: bots with cameras, the real director,
 * Chromium. A test goes wide with an admin's wide take written into the room metadata
 * (goWide), as /friends' W does: the real director makes the wide shot, and it holds until
 * the next talker ("the next clear talker").
 */
import { AccessToken, RoomServiceClient } from "livekit-server-sdk";
import type { Page } from "@playwright/test";
import { recorderGrant } from "@/lib/livekit/grants";
import { parseProgram, rolesOver, takeOver, withRoles, withTake } from "@/lib/room-state";
import { Bot } from "../helpers/bot";
import { startApp, type AppInstance } from "../helpers/app-instance";
import { seriousViolations } from "../helpers/axe";
import { waitForDirector } from "../helpers/director";
import { twoTalkers } from "../helpers/program";
import { botToken, testKeys, type Keys } from "../helpers/tokens";
import { test, expect } from "./fixtures";

const livekitUrl = process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880";

function roomService(keys: Keys): RoomServiceClient {
  return new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);
}

/**
 * An admin's wide take (W), written into the room metadata as lib/admin does; the real
 * director goes wide. Resolves once its program record says so. (Writing a wide program
 * record directly no longer works: the director puts its own back on screen when no other
 * director is in the room, as it must after a departed director's late write.)
 */
async function goWide(rooms: RoomServiceClient, room: string): Promise<void> {
  const [r] = await rooms.listRooms([room]);
  await rooms.updateRoomMetadata(room, withTake(r?.metadata, takeOver(r?.metadata, null, "wide")));
  await expect.poll(async () => parseProgram((await rooms.listRooms([room]))[0]?.metadata)?.shot, { timeout: 10_000 }).toBe("wide");
}

/** An admin's `never` for `identity`, written as lib/admin would. */
async function setNever(rooms: RoomServiceClient, room: string, identity: string): Promise<void> {
  const [r] = await rooms.listRooms([room]);
  await rooms.updateRoomMetadata(room, withRoles(r?.metadata, rolesOver(r?.metadata, identity, "never")));
}

/** Each camera in the shown grid: its identity and decoded width. */
async function gridVideos(page: Page): Promise<{ identity: string | null; width: number }[]> {
  return page.locator('[data-testid="wide-grid"][data-state="shown"] [data-testid="wide-video"]').evaluateAll((vs) =>
    vs.map((v) => ({ identity: v.getAttribute("data-identity"), width: (v as HTMLVideoElement).videoWidth })),
  );
}

interface Frames {
  frames: number;
  /** frames where the picture was less than whole, with why */
  blank: string[];
  /** frames mid-dissolve: the incoming layer partly transparent over a whole outgoing one */
  mixed: number;
  shots: string[];
}

/**
 * On every animation frame from the first picture on, what the screen composites: the
 * program element must have a decoded, non-black frame; while it is partly transparent
 * (a dissolve) the outgoing element under it must be fully up with one too; a shown
 * grid's cameras must each have one. The bots' cameras are flat colours with a white bar.
 */
async function watchFrames(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const m: Frames = { frames: 0, blank: [], mixed: 0, shots: [] };
    (window as unknown as { __frames: Frames }).__frames = m;
    const canvas = document.createElement("canvas");
    canvas.width = 8;
    canvas.height = 8;
    let g: CanvasRenderingContext2D | null = null;
    const whyNot = (v: Element | null): string => {
      if (!(v instanceof HTMLVideoElement)) return "no element";
      if (v.videoWidth === 0 || v.readyState < 2) return `no frame (readyState ${v.readyState})`;
      g ??= canvas.getContext("2d", { willReadFrequently: true });
      g?.drawImage(v, 0, 0, 8, 8);
      const d = g?.getImageData(0, 0, 8, 8).data ?? new Uint8ClampedArray(0);
      let max = 0;
      for (let i = 0; i < d.length; i += 4) max = Math.max(max, d[i] ?? 0, d[i + 1] ?? 0, d[i + 2] ?? 0);
      return max < 16 ? "black picture" : "";
    };
    const opacity = (el: Element) => Number(getComputedStyle(el).opacity);
    const tick = () => {
      const v = document.querySelector('[data-testid="program-video"]');
      const grid = document.querySelector('[data-testid="wide-grid"]');
      const shot = document.querySelector('[data-testid="program-stage"]')?.getAttribute("data-shot") ?? "";
      if (v || m.frames > 0) {
        m.frames++;
        if (m.shots[m.shots.length - 1] !== shot) m.shots.push(shot);
        const gridUp = grid !== null && opacity(grid) === 1;
        if (!gridUp) {
          // The speaker layer is (at least partly) what shows.
          const why = whyNot(v);
          if (why) m.blank.push(`frame ${m.frames}: program ${why}`);
          if (v && opacity(v) < 1) {
            m.mixed++;
            const under = document.querySelector('video[data-role="fading"]');
            const whyUnder = whyNot(under);
            if (whyUnder || (under && opacity(under) < 1)) m.blank.push(`frame ${m.frames}: under a dissolve ${whyUnder || "not whole"}`);
          }
          if (grid && opacity(grid) > 0) m.mixed++;
        }
        if (grid && opacity(grid) > 0) {
          for (const gv of Array.from(grid.querySelectorAll('[data-testid="wide-video"]'))) {
            const why = whyNot(gv);
            if (why) m.blank.push(`frame ${m.frames}: grid ${gv.getAttribute("data-identity")} ${why}`);
          }
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

const frames = (page: Page) => page.evaluate(() => (window as unknown as { __frames: Frames }).__frames);

test("the viewer shows the grid on a wide shot, without `never` people, and returns to the speaker", async ({ page, bot }) => {
  const ROOM = "channel-1";
  const keys = testKeys();
  const rooms = roomService(keys);
  const { ann, ben, speak, leave } = await twoTalkers(livekitUrl, keys, ROOM, "wide", "Wide");
  // An interpreter with a camera: `never`, so kept out of the grid as off program.
  const cat = bot("p_wide_cat");
  try {
    await cat.join(livekitUrl, await botToken(keys, ROOM, cat.identity, { name: "Cat Interpreter" }), { video: true });
    await waitForDirector(livekitUrl, keys, ROOM);
    await watchFrames(page);
    await page.goto("/viewer?channel=1");
    const stage = page.getByTestId("program-stage");
    await expect(stage).toHaveAttribute("data-transition", "cut");
    await speak(ann);
    await expect(page.getByTestId("program-name")).toHaveText("Ann Wide");
    await expect(stage).toHaveAttribute("data-shot", "speaker");
    await ann.drained();

    await setNever(rooms, ROOM, cat.identity);
    await goWide(rooms, ROOM);
    const grid = page.locator('[data-testid="wide-grid"][data-state="shown"]');
    await expect(grid).toBeVisible();
    await expect(stage).toHaveAttribute("data-shot", "wide");
    // Ann and Ben side by side; not Cat (never), not the director or this viewer (hidden).
    await expect(grid).toHaveAttribute("data-cols", "2");
    await expect(grid).toHaveAttribute("data-rows", "1");
    await expect(grid.getByTestId("wide-tile")).toHaveCount(2);
    await expect.poll(async () => (await grid.getByTestId("wide-tile-name").allTextContents()).sort()).toEqual(["Ann Wide", "Ben Wide"]);
    await expect
      .poll(async () => (await gridVideos(page)).sort((a, b) => String(a.identity).localeCompare(String(b.identity))))
      .toEqual([
        { identity: ann.identity, width: 320 },
        { identity: ben.identity, width: 320 },
      ]);
    // The speaker's lower third goes with the speaker shot; the grid is still on air.
    await expect(page.getByTestId("program-name")).toHaveCount(0);
    await expect(page.getByTestId("onair-indicator")).toBeVisible();
    await page.screenshot({ path: ".cache/test-results/viewer-wide-shot.png" });
    expect(await seriousViolations(page), "axe on the wide shot").toEqual([]);

    // The next clear talker ends the wide shot.
    await speak(ben);
    await expect(stage).toHaveAttribute("data-shot", "speaker");
    await expect(page.getByTestId("program-name")).toHaveText("Ben Wide");
    await expect(page.getByTestId("program-video")).toHaveAttribute("data-identity", ben.identity);
    await expect(page.getByTestId("wide-grid")).toHaveCount(0);
    await ben.drained();

    const seen = await frames(page);
    expect(seen.shots).toEqual(["speaker", "wide", "speaker"]);
    expect(seen.frames).toBeGreaterThan(10);
    expect(seen.blank).toEqual([]);
  } finally {
    await leave();
  }
});

test("the participants' program view shows the grid with their own camera in it", async ({ page }) => {
  const ROOM = "channel-1";
  const keys = testKeys();
  const rooms = roomService(keys);
  const { ann, ben, speak, leave } = await twoTalkers(livekitUrl, keys, ROOM, "wjoin", "Grid");
  try {
    await waitForDirector(livekitUrl, keys, ROOM);
    await page.goto("/");
    await page.getByTestId("join-name").fill("Dee Grid");
    await page.getByTestId("join-channel").fill("1");
    // Muted, so the fake microphone's voice doesn't put Dee on program.
    await page.getByTestId("join-muted").click();
    await page.getByTestId("join-submit").click();
    await expect(page.getByTestId("local-video")).toHaveAttribute("data-published", "true", { timeout: 30_000 });
    await speak(ann);
    await page.getByTestId("fullscreen-button").click();
    const view = page.getByTestId("program-view");
    await expect(view.getByTestId("program-name")).toHaveText("Ann Grid");
    await ann.drained();

    await goWide(rooms, ROOM);
    const grid = view.locator('[data-testid="wide-grid"][data-state="shown"]');
    // Join order is known to the second, so Ann's and Ben's may tie: compare as a set.
    await expect.poll(async () => (await grid.getByTestId("wide-tile-name").allTextContents()).sort()).toEqual(["Ann Grid", "Ben Grid", "Dee Grid"]);
    await expect(grid).toHaveAttribute("data-tiles", "3");
    await expect.poll(async () => (await gridVideos(page)).filter((v) => v.width > 0).length).toBe(3);
    // Their own camera is in the grid, so the corner self-view goes.
    await expect(view.getByLabel("Your camera")).toHaveCount(0);
    expect(await seriousViolations(page), "axe on the program view's wide shot").toEqual([]);

    await speak(ben);
    await expect(view.getByTestId("program-name")).toHaveText("Ben Grid");
    await expect(view.getByTestId("wide-grid")).toHaveCount(0);
    await expect(view.getByLabel("Your camera")).toBeVisible();
  } finally {
    await leave();
  }
});

test.describe("/egress", () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test("starts recording on the grid when Egress arrives on a wide shot, names on the tiles, then follows the speaker", async ({ page }) => {
    const ROOM = "channel-1";
    const keys = testKeys();
    const rooms = roomService(keys);
    const { ann, ben, speak, leave } = await twoTalkers(livekitUrl, keys, ROOM, "weg", "Egress-Wide");
    try {
      await waitForDirector(livekitUrl, keys, ROOM);
      await speak(ann);
      await ann.drained();
      await goWide(rooms, ROOM);
      // What is on screen at the instant the page logs START_RECORDING (Egress starts
      // encoding then), recorded synchronously in the page.
      const consoleLines: string[] = [];
      page.on("console", (m) => consoleLines.push(m.text()));
      await page.addInitScript(() => {
        const log = console.log.bind(console);
        const w = window as unknown as { __start: { grid: string | null; slate: boolean }[] };
        w.__start = [];
        console.log = (...args: unknown[]) => {
          if (args[0] === "START_RECORDING") {
            w.__start.push({
              grid: document.querySelector('[data-testid="wide-grid"]')?.getAttribute("data-state") ?? null,
              slate: document.querySelector('[data-testid="egress-slate"]') !== null,
            });
          }
          log(...args);
        };
      });
      await page.goto(egressUrl(await recorderToken(keys, ROOM), "program-strip"));
      const layout = page.getByTestId("egress-layout");
      await expect(layout).toHaveAttribute("data-recording", "started");
      expect(await page.evaluate(() => (window as unknown as { __start: unknown[] }).__start)).toEqual([{ grid: "shown", slate: false }]);
      await expect(layout).toHaveAttribute("data-shot", "wide");
      const grid = page.locator('[data-testid="wide-grid"][data-state="shown"]');
      await expect.poll(async () => (await grid.getByTestId("wide-tile-name").allTextContents()).sort()).toEqual(["Ann Egress-Wide", "Ben Egress-Wide"]);
      await expect.poll(async () => (await gridVideos(page)).map((v) => v.width)).toEqual([320, 320]);
      // The grid names everyone: no speaker's lower third, no strip of "the others".
      await expect(page.getByTestId("egress-lower-third")).toHaveCount(0);
      await expect(page.getByTestId("egress-strip")).toHaveCount(0);
      await page.screenshot({ path: ".cache/test-results/egress-wide-shot.png" });

      await speak(ben);
      await expect(layout).toHaveAttribute("data-shot", "speaker");
      await expect(page.getByTestId("program-video")).toHaveAttribute("data-identity", ben.identity);
      await expect(page.getByTestId("egress-lower-third")).toHaveText("Ben Egress-Wide");
      await expect(page.getByTestId("egress-strip-tile")).toHaveAttribute("data-identity", ann.identity);
      await expect(page.getByTestId("wide-grid")).toHaveCount(0);
      expect(consoleLines.filter((l) => l === "START_RECORDING")).toHaveLength(1);
      await ben.drained();
    } finally {
      await leave();
    }
  });
});

const recorderIdentity = (room: string) => `EG_wide${room.replace(/\D/g, "")}`;

async function recorderToken(keys: Keys, room: string): Promise<string> {
  // Egress joins as its egress id, with these grants (as tests/e2e/egress.spec.ts).
  const at = new AccessToken(keys.key, keys.secret, { identity: recorderIdentity(room), name: "Recorder", ttl: 600 });
  at.addGrant(recorderGrant(room));
  return at.toJwt();
}

function egressUrl(token: string, layout: string, base = ""): string {
  return `${base}/egress?${new URLSearchParams({ url: livekitUrl, token, layout }).toString()}`;
}

test.describe("PROGRAM_TRANSITION=dissolve", () => {
  // An app instance of its own with the setting, beside the stack's and sharing its
  // livekit-server and director: the shared app keeps the default (cut).
  let app: AppInstance;
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  test.beforeAll(async () => {
    app = await startApp({ PROGRAM_TRANSITION: "dissolve" });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("the viewer dissolves between speakers and into and out of the grid without a blank frame", async ({ page, browser }) => {
    const ROOM = "channel-1";
    const keys = testKeys();
    const rooms = roomService(keys);
    const { ann, ben, speak, leave } = await twoTalkers(livekitUrl, keys, ROOM, "diss", "Dissolve");
    try {
      await waitForDirector(livekitUrl, keys, ROOM);
      await watchFrames(page);
      await page.goto(`${app.url}/viewer?channel=1`);
      const stage = page.getByTestId("program-stage");
      await expect(stage).toHaveAttribute("data-transition", "dissolve");
      await speak(ann);
      await expect(page.getByTestId("program-video")).toHaveAttribute("data-identity", ann.identity);
      await ann.drained();
      // Speaker to speaker.
      await speak(ben);
      await expect(page.getByTestId("program-video")).toHaveAttribute("data-identity", ben.identity);
      await expect(page.locator('video[data-role="fading"]')).toHaveCount(0);
      const afterCut = await frames(page);
      expect(afterCut.blank).toEqual([]);
      // A dissolve, not a cut: frames with Ben partly faded in over a whole Ann. (A cut
      // here would mean Ben's first frame took longer than the stage waits: a stall.)
      await expect(stage).toHaveAttribute("data-last-change", "dissolve");
      expect(afterCut.mixed, "frames mid-dissolve").toBeGreaterThan(0);
      await ben.drained();
      // Into the grid and back out.
      await goWide(rooms, ROOM);
      await expect(stage).toHaveAttribute("data-shot", "wide");
      await speak(ann);
      await expect(stage).toHaveAttribute("data-shot", "speaker");
      await expect(page.getByTestId("wide-grid")).toHaveCount(0);
      await ann.drained();

      const seen = await frames(page);
      expect(seen.shots).toEqual(["speaker", "wide", "speaker"]);
      expect(seen.mixed).toBeGreaterThan(afterCut.mixed);
      expect(seen.blank).toEqual([]);

      // Someone who asked their system for less motion gets cuts.
      const ctx = await browser.newContext({ reducedMotion: "reduce" });
      try {
        const calm = await ctx.newPage();
        await calm.goto(`${app.url}/viewer?channel=1`);
        await expect(calm.getByTestId("program-stage")).toHaveAttribute("data-transition", "cut");
      } finally {
        await ctx.close();
      }
    } finally {
      await leave();
    }
  });

  test("/egress takes the setting too", async ({ page }) => {
    const ROOM = "channel-1";
    const keys = testKeys();
    const cat = new Bot("p_diss_eg_cat");
    try {
      await cat.join(livekitUrl, await botToken(keys, ROOM, cat.identity, { name: "Cat Dissolve" }), { video: true });
      await page.goto(egressUrl(await recorderToken(keys, ROOM), "program", app.url));
      await expect(page.getByTestId("egress-layout")).toHaveAttribute("data-phase", "connected");
      await expect(page.getByTestId("program-stage")).toHaveAttribute("data-transition", "dissolve");
    } finally {
      await cat.leave().catch(() => undefined);
    }
  });
});

test("a PROGRAM_TRANSITION that is neither cut nor dissolve stops the app at start, naming it", async () => {
  const app = await startApp({ PROGRAM_TRANSITION: "wipe" }, { expectExit: true });
  try {
    expect(app.child.exitCode).toBe(1);
    expect(app.output()).toMatch(/PROGRAM_TRANSITION must be one of cut, dissolve/);
  } finally {
    await app.stop();
  }
});
