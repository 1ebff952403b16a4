import { join as pathJoin } from "node:path";
import type { Page } from "@playwright/test";
import { RoomServiceClient } from "livekit-server-sdk";
import { parsePin, parseRoles, parseShotLength, parseTake } from "@/lib/room-state";
import { waitForDirector } from "../helpers/director";
import { botToken, testKeys } from "../helpers/tokens";
import { readWav } from "../helpers/wav";
import { expect, signIn, test } from "./fixtures";

// The vision mixer's admin side of /friends in a real browser: Take, the keyboard
// shortcuts, the director-role control and the shot length write what they should
// into the room metadata (read back from LiveKit itself). What the director does with
// those inputs is tested with the director.
const livekitUrl = process.env.CC_LIVEKIT_URL ?? "ws://127.0.0.1:7880";
const keys = testKeys();
const api = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);
const fx = (n: string) => readWav(pathJoin(__dirname, "..", "fixtures", "audio", n)).samples;

const metadataOf = async (room: string) => (await api.listRooms([room]))[0]?.metadata ?? "";
const card = (page: Page, channel: number) => page.locator(`[data-testid="friends-channel"][data-channel="${channel}"]`);
const row = (page: Page, name: string) => page.getByTestId("friends-participant").filter({ has: page.getByTestId("friends-name").getByText(name, { exact: true }) });

test("Take, the shortcuts, roles and the shot length on /friends write the room metadata", async ({ page, bot }) => {
  test.setTimeout(90_000);
  const ada = bot("p_e2e_mix_ada");
  const bo = bot("p_e2e_mix_bo");
  const cy = bot("p_e2e_mix_cy");
  await ada.join(livekitUrl, await botToken(keys, "channel-11", ada.identity, { name: "Mix Ada" }));
  await bo.join(livekitUrl, await botToken(keys, "channel-11", bo.identity, { name: "Mix Bo" }));
  await cy.join(livekitUrl, await botToken(keys, "channel-17", cy.identity, { name: "Mix Cy" }));
  await signIn(page);
  const ch11 = card(page, 11);
  const ch17 = card(page, 17);
  await expect(row(page, "Mix Ada")).toBeVisible();
  await expect(row(page, "Mix Bo")).toBeVisible();
  await expect(row(page, "Mix Cy")).toBeVisible();
  await expect(page.getByTestId("friends-shortcuts")).toContainText("wide shot");
  // The card order is join order: Ada is 1, Bo is 2.
  await expect(row(page, "Mix Ada").getByTestId("friends-shortcut")).toHaveText("1");
  await expect(row(page, "Mix Bo").getByTestId("friends-shortcut")).toHaveText("2");
  const take11 = async () => parseTake(await metadataOf("channel-11"));

  // Take on a row cuts to that participant, once.
  await row(page, "Mix Ada").getByTestId("friends-take").click();
  await expect.poll(async () => (await take11())?.identity).toBe(ada.identity);
  expect((await take11())?.shot).toBe("speaker");
  // The click selected channel 11 for the keys.
  await expect(ch11).toHaveAttribute("data-selected", "true");
  await expect(ch17).toHaveAttribute("data-selected", "false");

  // 2 takes the second participant; W goes wide.
  const before2 = (await take11())!.at;
  await page.keyboard.press("2");
  await expect.poll(async () => (await take11())?.identity).toBe(bo.identity);
  expect((await take11())!.at).toBeGreaterThan(before2);
  await expect(page.getByTestId("friends-shortcut-status")).toHaveText("CH 11: took Mix Bo");
  await page.keyboard.press("w");
  await expect.poll(async () => (await take11())?.shot).toBe("wide");
  expect((await take11())?.identity).toBeNull();
  // The desk has caught up with the wide shot (so the Ada it shows next is her new cut,
  // not the first take still on screen).
  await expect(ch11).toHaveAttribute("data-shot", "wide");

  // P pins who is on air (no preview candidate here); A hands back to auto.
  await waitForDirector(livekitUrl, keys, "channel-11");
  void ada.say(fx("speech-alice.wav"));
  await expect(ch11).toHaveAttribute("data-program", ada.identity);
  await expect(ch11).toHaveAttribute("data-shot", "speaker");
  await page.keyboard.press("p");
  await expect.poll(async () => parsePin(await metadataOf("channel-11"))?.identity).toBe(ada.identity);
  await expect(ch11).toHaveAttribute("data-pinned", ada.identity);
  // On air and pinned, her row carries both badges and still shows her whole name.
  const adaName = row(page, "Mix Ada").getByTestId("friends-name");
  await expect(row(page, "Mix Ada").getByTestId("friends-onair")).toBeVisible();
  await expect(row(page, "Mix Ada").getByTestId("friends-pinned")).toBeVisible();
  expect(await adaName.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  const pinAt = parsePin(await metadataOf("channel-11"))!.at;
  await page.keyboard.press("a");
  await expect.poll(async () => parsePin(await metadataOf("channel-11"))?.at).toBeGreaterThan(pinAt);
  expect(parsePin(await metadataOf("channel-11"))?.identity).toBeNull();
  await expect(ch11).toHaveAttribute("data-pinned", "");

  // Typing in the shot length field is not a shortcut: "2" there takes nobody.
  const takeBeforeTyping = await take11();
  const input = ch11.getByTestId("friends-shot-length-input");
  await input.fill("");
  await input.press("2");
  await input.press("Enter");
  await expect.poll(async () => parseShotLength(await metadataOf("channel-11"))?.ms).toBe(2000);
  await expect(ch11.getByTestId("friends-shot-length-current")).toHaveAttribute("data-ms", "2000");
  expect(await take11()).toEqual(takeBeforeTyping);
  // Empty is the default again.
  await input.fill("");
  await ch11.getByTestId("friends-shot-length-set").click();
  await expect.poll(async () => parseShotLength(await metadataOf("channel-11"))?.ms).toBeNull();
  await expect(ch11.getByTestId("friends-shot-length-current")).toHaveAttribute("data-ms", "");
  // A bad value is refused with the server's message, and nothing is written.
  const lengthAt = parseShotLength(await metadataOf("channel-11"))!.at;
  await input.fill("61");
  await input.press("Enter");
  await expect(ch11.getByTestId("friends-action-error")).toContainText("ms must be at most");
  expect(parseShotLength(await metadataOf("channel-11"))!.at).toBe(lengthAt);

  // The role control writes the role, and shows what the room holds.
  await row(page, "Mix Bo").getByTestId("friends-role").selectOption("never");
  await expect.poll(async () => parseRoles(await metadataOf("channel-11"))?.roles[bo.identity]).toBe("never");
  await expect(row(page, "Mix Bo")).toHaveAttribute("data-role", "never");
  await row(page, "Mix Bo").getByTestId("friends-role").selectOption("favor");
  await expect.poll(async () => parseRoles(await metadataOf("channel-11"))?.roles[bo.identity]).toBe("favor");
  await expect(row(page, "Mix Bo").getByTestId("friends-role")).toHaveValue("favor");
  await row(page, "Mix Bo").getByTestId("friends-role").selectOption("auto");
  await expect.poll(async () => parseRoles(await metadataOf("channel-11"))?.roles[bo.identity]).toBeUndefined();
  await expect(row(page, "Mix Bo")).toHaveAttribute("data-role", "auto");

  // The keys follow the selected channel: click into channel 17, and 1 takes Cy there.
  const take11Now = await take11();
  await ch17.getByRole("heading").click();
  await expect(ch17).toHaveAttribute("data-selected", "true");
  await page.keyboard.press("1");
  await expect.poll(async () => parseTake(await metadataOf("channel-17"))?.identity).toBe(cy.identity);
  expect(await take11()).toEqual(take11Now);
});
