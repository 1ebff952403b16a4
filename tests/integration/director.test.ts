import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProgram, type ProgramState } from "@/lib/room-state";
import { stackEnv, until } from "../helpers/stack-env";
import { threeTalkers } from "../helpers/program";
import { testKeys } from "../helpers/tokens";
import { readWav } from "../helpers/wav";

// Three bots in one room on a scripted timeline, the real director deciding, and a
// hidden viewer connection recording every program change the screens would see.
const { appUrl, livekitUrl, controlUrl } = stackEnv();
const ROOM = "channel-15";
const fx = (n: string) => readWav(join(__dirname, "..", "fixtures", "audio", n)).samples;
const keys = testKeys();

const { viewer, seen, bots, join: joinRoom, leave } = threeTalkers(livekitUrl, keys, ROOM, "it");

function current(): string | null {
  return parseProgram(viewer.metadata)?.program ?? null;
}

async function programBecomes(identity: string | null, what: string, timeoutMs = 5000): Promise<ProgramState> {
  return until(async () => {
    const p = parseProgram(viewer.metadata);
    return p && p.program === identity ? p : null;
  }, what, timeoutMs);
}

async function directorPresent(): Promise<boolean> {
  const s = (await (await fetch(`${appUrl}/status`)).json()) as { channels: { room: string; director: boolean }[] };
  return s.channels.find((c) => c.room === ROOM)?.director ?? false;
}

beforeAll(joinRoom);
afterAll(leave);

describe("the director on a scripted timeline", () => {
  it("joined the room as a hidden participant", async () => {
    expect(await directorPresent()).toBe(true);
    // Hidden: the bots' view of the room has no director in it.
    expect([...bots.alice.room.remoteParticipants.keys()].some((id) => id.startsWith("director-"))).toBe(false);
  });

  it("follows a turn", async () => {
    await bots.alice.say(fx("speech-alice.wav"));
    const p = await programBecomes(bots.alice.identity, "alice on program");
    expect(p.reason).toBe("speech");
    await bots.alice.drained();
  });

  it("a 150 ms click from another bot in silence does not switch", async () => {
    const before = seen.length;
    await bots.bob.say(fx("click.wav"));
    await bots.bob.drained();
    // Wait for evidence that the director has processed well past the click: its
    // levels attribute for bob returns to silence, via /status.
    await until(async () => {
      const s = (await (await fetch(`${appUrl}/status`)).json()) as {
        channels: { room: string; participants: { identity: string; level: number | null }[] }[];
      };
      const bob = s.channels.find((c) => c.room === ROOM)?.participants.find((p) => p.identity === bots.bob.identity);
      return bob && bob.level !== null && bob.level >= 100;
    }, "bob's level back to silence");
    await new Promise((r) => setTimeout(r, 600)); // margin past the policy's evidence window
    expect(seen.slice(before).map((p) => p.program)).toEqual([]);
    expect(current()).toBe(bots.alice.identity);
  });

  it("follows the next turn, and a short 'yes' during it does not switch", async () => {
    const before = seen.length;
    await bots.bob.say(fx("speech-bob.wav"));
    await programBecomes(bots.bob.identity, "bob on program");
    await new Promise((r) => setTimeout(r, 1200));
    await bots.carol.say(fx("yes.wav"));
    await bots.bob.drained();
    expect(seen.slice(before).map((p) => p.program)).toEqual([bots.bob.identity]);
  });

  it("moves on when the speaker leaves", async () => {
    await bots.carol.say(fx("speech-carol.wav"));
    await programBecomes(bots.carol.identity, "carol on program");
    await bots.carol.drained();
    await bots.carol.leave();
    const p = await until(async () => {
      const s = parseProgram(viewer.metadata);
      return s && s.program !== bots.carol.identity ? s : null;
    }, "the program to move off carol after she left");
    expect(p.reason).toBe("holder-left");
  });

  it("resumes after the director is killed and restarted; screens keep the last program meanwhile", async () => {
    await bots.alice.say(fx("speech-alice.wav"));
    await programBecomes(bots.alice.identity, "alice on program");
    await bots.alice.drained();
    const kept = parseProgram(viewer.metadata)!;

    const killed = await fetch(`${controlUrl}/director/kill`, { method: "POST" });
    expect(killed.ok).toBe(true);
    // Bob talks while no director runs: the program stays where it was.
    await bots.bob.say(fx("speech-bob.wav"));
    await bots.bob.drained();
    expect(parseProgram(viewer.metadata)).toEqual(kept);

    const started = await fetch(`${controlUrl}/director/start`, { method: "POST" });
    expect(started.ok).toBe(true);
    // The reconciler re-dispatches the room; the new director replaces the stale one.
    await until(directorPresent, "a director back in the room", 20000);
    const t0 = Date.now();
    const p = await until(async () => {
      if (Date.now() - t0 > 1000 && !bots.bob.busy) await bots.bob.say(fx("speech-bob.wav"));
      const s = parseProgram(viewer.metadata);
      return s && s.program === bots.bob.identity ? s : null;
    }, "decisions to resume (bob on program)", 25000);
    expect(p.seq).toBeGreaterThan(kept.seq);
  });
});
