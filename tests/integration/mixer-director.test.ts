import { join } from "node:path";
import { DataPacket_Kind, RoomServiceClient } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_INPUT_TOPIC,
  ATTR_LOG,
  ATTR_PREVIEW,
  isDirectorIdentity,
  parseLogAttr,
  parsePreviewAttr,
  parseProgram,
  parseShotLength,
  shotLengthOver,
  withShotLength,
  SHOT_LENGTH_MAX_MS,
  type PreviewAttr,
  type ProgramState,
} from "@/lib/room-state";
import { adminPost } from "../helpers/admin";
import { threeTalkers } from "../helpers/program";
import { stackEnv, until } from "../helpers/stack-env";
import { testKeys } from "../helpers/tokens";
import { readWav } from "../helpers/wav";

// The director side of the vision mixer on the real stack: roles, takes and the shot
// length set through the admin API (as /friends sets them) reach the running director
// through the room's metadata, and it publishes its preview lane. Three bots, the real
// director, and a hidden viewer connection recording every program the screens would see.
const { appUrl, livekitUrl } = stackEnv();
const CHANNEL = 14;
const ROOM = `channel-${CHANNEL}`;
const fx = (n: string) => readWav(join(__dirname, "..", "fixtures", "audio", n)).samples;
const keys = testKeys();
const api = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);

const { viewer, seen, bots, join: joinRoom, leave } = threeTalkers(livekitUrl, keys, ROOM, "mx");

const setRole = (identity: string, role: "auto" | "favor" | "never") => adminPost(appUrl, "/api/admin/director-role", { channel: CHANNEL, identity, role });
const take = (body: { identity: string } | { shot: "wide" }) => adminPost(appUrl, "/api/admin/take", { channel: CHANNEL, ...body });
const setShotLength = (ms: number | null) => adminPost(appUrl, "/api/admin/shot-length", { channel: CHANNEL, ms });

function current(): ProgramState | null {
  return parseProgram(viewer.metadata);
}

async function programIs(test: (p: ProgramState) => boolean, what: string, timeoutMs = 8000): Promise<ProgramState> {
  return until(async () => {
    const p = current();
    return p && test(p) ? p : null;
  }, what, timeoutMs);
}

/** What the director last reported for `identity` via /status: level (dBov) and speaking. */
async function atDirector(identity: string): Promise<{ level: number | null; speaking: boolean } | null> {
  const s = (await (await fetch(`${appUrl}/status`)).json()) as {
    channels: { room: string; participants: { identity: string; level: number | null; speaking: boolean }[] }[];
  };
  return s.channels.find((c) => c.room === ROOM)?.participants.find((p) => p.identity === identity) ?? null;
}

/** The level the director last reported for `identity` (dBov), via /status. */
async function levelAtDirector(identity: string): Promise<number | null> {
  return (await atDirector(identity))?.level ?? null;
}

async function director() {
  return (await api.listParticipants(ROOM)).find((p) => isDirectorIdentity(p.identity));
}

async function preview(): Promise<PreviewAttr | null> {
  return parsePreviewAttr((await director())?.attributes[ATTR_PREVIEW]);
}

/** The director has applied a shot length set at `at` (its activity log says so). */
async function shotLengthApplied(at: number): Promise<void> {
  await until(async () => parseLogAttr((await director())?.attributes[ATTR_LOG]).some((a) => a.kind === "shot_length" && a.at === at), `the director applying the shot length set at ${at}`);
}

beforeAll(joinRoom);
afterAll(async () => {
  // Leave no admin inputs behind for the next file that uses this room.
  await setRole(bots.bob.identity, "auto").catch(() => undefined);
  await setShotLength(null).catch(() => undefined);
  await leave();
});

describe("the director obeys the vision mixer's inputs set through the admin API", () => {
  it("a never participant who talks alone stays off program; lifting the role lets them back", async () => {
    await bots.alice.say(fx("speech-alice.wav"));
    await programIs((p) => p.program === bots.alice.identity, "alice on program");
    await bots.alice.drained();

    await setRole(bots.bob.identity, "never");
    const before = seen.length;
    await bots.bob.say(fx("speech-bob.wav"));
    // The director hears bob (his level reaches it, and /friends' speaking dot lights) ...
    await until(async () => ((await levelAtDirector(bots.bob.identity)) ?? 127) < 60, "bob's voice at the director");
    await until(async () => (await atDirector(bots.bob.identity))?.speaking === true, "bob shown speaking, though never on program");
    await bots.bob.drained();
    // ... and, once his talk is over at the director, has not put him on program.
    await until(async () => ((await levelAtDirector(bots.bob.identity)) ?? 0) >= 100, "bob's level back to silence");
    await new Promise((r) => setTimeout(r, 600)); // margin past the policy's evidence window
    expect(seen.slice(before).map((p) => p.program)).not.toContain(bots.bob.identity);
    expect(current()?.program).toBe(bots.alice.identity);

    await setRole(bots.bob.identity, "auto");
    await bots.bob.say(fx("speech-bob.wav"));
    await programIs((p) => p.program === bots.bob.identity, "bob on program once his role is auto again");
    await bots.bob.drained();
  });

  it("a take cuts within 1 s, and the director then carries on by itself", async () => {
    const t0 = Date.now();
    await take({ identity: bots.carol.identity });
    const taken = await programIs((p) => p.program === bots.carol.identity, "carol on program by the take");
    expect(taken).toMatchObject({ reason: "take", shot: "speaker" });
    expect(Date.now() - t0).toBeLessThan(1000);
    // carol is silent; alice talks: the director resumes and cuts to her
    await bots.alice.say(fx("speech-alice.wav"));
    const resumed = await programIs((p) => p.program === bots.alice.identity, "alice on program after the take");
    expect(resumed.reason).toBe("speech");
    expect(resumed.seq).toBeGreaterThan(taken.seq);
    await bots.alice.drained();
  });

  it("a wide take goes wide keeping the program; the next talker comes back to a speaker shot", async () => {
    const on = current()!;
    await take({ shot: "wide" });
    const wide = await programIs((p) => p.shot === "wide", "a wide shot");
    expect(wide).toMatchObject({ program: on.program, reason: "take", since: on.since });
    // /status says so too (it reads the same record).
    await until(async () => {
      const s = (await (await fetch(`${appUrl}/status`)).json()) as { channels: { room: string; program: { shot?: string } | null }[] };
      return s.channels.find((c) => c.room === ROOM)?.program?.shot === "wide";
    }, "/status showing the wide shot");
    await bots.bob.say(fx("speech-bob.wav"));
    await programIs((p) => p.program === bots.bob.identity && p.shot === "speaker", "bob on a speaker shot");
    await bots.bob.drained();
  });

  it("publishes the preview lane: a challenger gathering evidence, held back by a long shot length", async () => {
    // A shot length nobody's talk outlasts here: carol's evidence builds, but no cut comes.
    const set = await setShotLength(SHOT_LENGTH_MAX_MS);
    await shotLengthApplied(set.at as number);
    const on = current()!;
    void bots.carol.say(fx("speech-carol.wav"));
    const lane = await until(async () => {
      const p = await preview();
      return p && p.identity === bots.carol.identity && p.progress > 0 ? p : null;
    }, "carol in the preview lane");
    expect(lane.progress).toBeLessThanOrEqual(1);
    await bots.carol.drained();
    expect(current()?.program).toBe(on.program);
    // The shot length back to the default: the next talk cuts again.
    await setShotLength(null);
    await bots.carol.say(fx("speech-carol.wav"));
    await programIs((p) => p.program === bots.carol.identity, "carol on program once the shot length is back to default");
    await bots.carol.drained();
  });

  it("an admin input that reaches the director only as the app's message (its metadata update lost) is applied and written back", async () => {
    // What the app sends beside each admin write (lib/admin/actions.ts), here without the
    // write: as if LiveKit had coalesced the update away under a director's own write.
    const md = (await api.listRooms([ROOM]))[0]!.metadata;
    const input = shotLengthOver(md, 4321);
    await api.sendData(ROOM, new TextEncoder().encode(withShotLength(md, input)), DataPacket_Kind.RELIABLE, {
      destinationIdentities: [(await director())!.identity],
      topic: ADMIN_INPUT_TOPIC,
    });
    await shotLengthApplied(input.at);
    await until(async () => parseShotLength((await api.listRooms([ROOM]))[0]?.metadata)?.at === input.at, "the director writing the shot length into the room metadata");
    await setShotLength(null);
  });
});
