import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomServiceClient } from "livekit-server-sdk";
import { isDirectorIdentity } from "@/lib/room-state";
import { Bot } from "../helpers/bot";
import { stackEnv, until } from "../helpers/stack-env";
import { botToken, testKeys } from "../helpers/tokens";

// Two director processes against one LiveKit: LiveKit's dispatch gives each room to
// one of them, so every room ends up with exactly one director.
const { livekitUrl, controlUrl } = stackEnv();
const keys = testKeys();
const rooms = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);
const CHANNELS = [4, 6, 8, 10];
const bots: Bot[] = [];

beforeAll(async () => {
  const started = await fetch(`${controlUrl}/director/start-extra`, { method: "POST" });
  expect(started.ok).toBe(true);
  for (const ch of CHANNELS) {
    const b = new Bot(`p_multi_${ch}`);
    await b.join(livekitUrl, await botToken(keys, `channel-${ch}`, b.identity));
    bots.push(b);
  }
});

afterAll(async () => {
  for (const b of bots) await b.leave().catch(() => undefined);
  await fetch(`${controlUrl}/director/stop-extra`, { method: "POST" });
});

async function directorsPerRoom(): Promise<number[]> {
  return Promise.all(
    CHANNELS.map(async (ch) => (await rooms.listParticipants(`channel-${ch}`)).filter((p) => isDirectorIdentity(p.identity)).length),
  );
}

describe("several director processes", () => {
  it("give every room exactly one director", async () => {
    await until(async () => (await directorsPerRoom()).every((n) => n === 1), "one director in each room", 20000);
    // It stays that way: no second director arrives once the rooms are settled.
    const seen: number[][] = [];
    for (let i = 0; i < 6; i++) {
      seen.push(await directorsPerRoom());
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(seen.flat().every((n) => n === 1)).toBe(true);
  });
});
