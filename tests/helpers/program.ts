/** Following the director's program from a test. */
import { join as pathJoin } from "node:path";
import { Room, RoomEvent } from "@livekit/rtc-node";
import { parseProgram, type ProgramState } from "@/lib/room-state";
import { Bot } from "./bot";
import { waitForDirector } from "./director";
import { botToken, type Keys } from "./tokens";
import { readWav } from "./wav";

/** Resolves when the director's program in a connected room becomes `identity`. */
export function programWatcher(watcher: Room): (identity: string) => Promise<void> {
  const program = () => parseProgram(watcher.metadata)?.program ?? null;
  return (identity) =>
    new Promise<void>((resolve) => {
      if (program() === identity) return resolve();
      const onChange = () => {
        if (program() === identity) {
          watcher.off(RoomEvent.RoomMetadataChanged, onChange);
          resolve();
        }
      };
      watcher.on(RoomEvent.RoomMetadataChanged, onChange);
    });
}

/**
 * Ann and Ben, two camera bots in `room`, and a hidden viewer connection that watches the
 * director's program there: the cast of the tests that follow the program as bots speak.
 * `tag` makes the identities (`p_<tag>_ann`, `v_<tag>_watch`); `surname` the display
 * names ("Ann <surname>"). `speak(bot)` plays that bot's own sentence (Ann's is Alice's
 * recording, Ben's Bob's) and resolves once the director has put it on program.
 * `leave()` ends all three; call it in a `finally`.
 */
export async function twoTalkers(livekitUrl: string, keys: Keys, room: string, tag: string, surname: string) {
  const ann = new Bot(`p_${tag}_ann`);
  const ben = new Bot(`p_${tag}_ben`);
  const watcher = new Room();
  const leave = async () => {
    await ann.leave().catch(() => undefined);
    await ben.leave().catch(() => undefined);
    await watcher.disconnect().catch(() => undefined);
  };
  try {
    await ann.join(livekitUrl, await botToken(keys, room, ann.identity, { name: `Ann ${surname}` }), { video: true });
    await ben.join(livekitUrl, await botToken(keys, room, ben.identity, { name: `Ben ${surname}` }), { video: true });
    await watcher.connect(livekitUrl, await botToken(keys, room, `v_${tag}_watch`, { role: "viewer" }), { autoSubscribe: false, dynacast: false });
  } catch (err) {
    await leave();
    throw err;
  }
  const became = programWatcher(watcher);
  const clips = new Map([
    [ann, "speech-alice.wav"],
    [ben, "speech-bob.wav"],
  ]);
  const speak = async (bot: Bot) => {
    await bot.say(readWav(pathJoin(__dirname, "..", "fixtures", "audio", clips.get(bot)!)).samples);
    await became(bot.identity);
  };
  return { ann, ben, watcher, speak, leave };
}

/**
 * Alice, Bob and Carol (`p_<tag>_alice`, …), three audio bots in `room`, and a hidden viewer
 * connection (`v_<tag>_viewer`) that records every program change the screens would see
 * into `seen`: the cast of the scripted-timeline integration tests. `join()` connects
 * them all and waits for the room's director; `leave()` ends them.
 */
export function threeTalkers(livekitUrl: string, keys: Keys, room: string, tag: string) {
  const viewer = new Room();
  const seen: ProgramState[] = [];
  const bots = { alice: new Bot(`p_${tag}_alice`), bob: new Bot(`p_${tag}_bob`), carol: new Bot(`p_${tag}_carol`) };
  const join = async () => {
    viewer.on(RoomEvent.RoomMetadataChanged, (md) => {
      const p = parseProgram(md);
      if (p) seen.push(p);
    });
    for (const b of Object.values(bots)) await b.join(livekitUrl, await botToken(keys, room, b.identity));
    await viewer.connect(livekitUrl, await botToken(keys, room, `v_${tag}_viewer`, { role: "viewer" }), { autoSubscribe: false, dynacast: false });
    await waitForDirector(livekitUrl, keys, room);
  };
  const leave = async () => {
    for (const b of Object.values(bots)) await b.leave().catch(() => undefined);
    await viewer.disconnect().catch(() => undefined);
  };
  return { viewer, seen, bots, join, leave };
}
