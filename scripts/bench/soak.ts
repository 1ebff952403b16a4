/**
 * `npm run bench:soak -- --minutes 30`: the whole stack (livekit-server, director, app)
 * under a steady meeting for a long time. 3 channels, 2 scripted talkers each (rtc-node
 * bots taking turns with the speech fixtures, pauses between turns). Reports at the
 * start (after a warm-up) and at the end: the RSS of the director, the app and LiveKit
 * (growth must stay ≤ 10 %), the decisions the director published, and errors (must be
 * 0): bot disconnects, failed API reads, and error lines in the director's and the
 * app's logs. Not part of `npm test`: it measures. Exit code 0 when both limits hold.
 *
 *   npm run bench:soak -- [--minutes 30] [--warmup 30]
 */
import { openSync, readSync, statSync, closeSync } from "node:fs";
import { join } from "node:path";
import { RoomEvent } from "@livekit/rtc-node";
import { RoomServiceClient } from "livekit-server-sdk";
import { parseProgram } from "@/lib/room-state";
import { Bot } from "@/tests/helpers/bot";
import { botToken } from "@/tests/helpers/tokens";
import { readWav } from "@/tests/helpers/wav";
import { ROOT, log } from "../lib/bootstrap.mjs";
import { arg, benchStack } from "./common";
import { groupUsage } from "./proc";

const MINUTES = Number(arg("minutes", "30"));
const WARMUP_S = Number(arg("warmup", "30"));
const CHANNELS = [15, 16, 17];
const GROWTH_LIMIT = 0.1;
const LOG_DIR = join(ROOT, ".cache", "logs", "soak");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fx = (n: string) => readWav(join(ROOT, "tests", "fixtures", "audio", n)).samples;

/** Lines at error level written to a log file since `from` (a byte offset). */
function errorLines(file: string, from: number): string[] {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return [];
  }
  if (size <= from) return [];
  const fd = openSync(file, "r");
  const buf = Buffer.alloc(size - from);
  readSync(fd, buf, 0, buf.length, from);
  closeSync(fd);
  return buf
    .toString("utf8")
    .split("\n")
    .filter((l) => /"level":\s*(50|60|"error"|"fatal")|\bERROR\b|^\s*(Error|TypeError|Unhandled)/.test(l));
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const { stack } = await benchStack({ bind: ["127.0.0.1"], logDir: LOG_DIR, extraEnv: { ADMIN_PASSWORD: `soak-${process.pid}-${Date.now()}` } });
  const keys = stack.keys;
  const api = new RoomServiceClient(stack.livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);
  const errors: string[] = [];
  let stopping = false;

  // Two talkers per channel, taking turns.
  const speech = [fx("speech-alice.wav"), fx("speech-bob.wav"), fx("speech-carol.wav")];
  const bots: Bot[] = [];
  for (const ch of CHANNELS) {
    for (let i = 0; i < 2; i++) {
      const b = new Bot(`soak_${ch}_${i}`);
      await b.join(stack.livekitUrl, await botToken(keys, `channel-${ch}`, b.identity));
      b.room.on(RoomEvent.Disconnected, () => {
        if (!stopping) errors.push(`bot ${b.identity} was disconnected`);
      });
      bots.push(b);
    }
  }
  const talk = async (ch: number, pair: Bot[]) => {
    for (let turn = 0; !stopping; turn++) {
      const who = pair[turn % 2]!;
      await who.say(speech[(turn + ch) % speech.length]!);
      await who.drained();
      await sleep(700 + ((turn * 379) % 1500));
    }
  };
  const talking = CHANNELS.map((ch, i) => talk(ch, bots.slice(i * 2, i * 2 + 2)));

  // Decisions: the director's `seq` in each room's metadata, polled once a second.
  const lastSeq = new Map<string, number>();
  let decisions = 0;
  const poll = async () => {
    try {
      const rooms = await api.listRooms(CHANNELS.map((c) => `channel-${c}`));
      for (const r of rooms) {
        const p = parseProgram(r.metadata);
        if (!p) continue;
        const prev = lastSeq.get(r.name);
        if (prev !== undefined) decisions += p.seq >= prev ? p.seq - prev : p.seq;
        lastSeq.set(r.name, p.seq);
      }
    } catch (err) {
      errors.push(`listRooms failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const poller = setInterval(() => void poll(), 1000);

  const logs = { director: join(LOG_DIR, "director.log"), app: join(LOG_DIR, "app.log") };
  const rss = () => ({
    director: groupUsage(stack.director!.pid!).rssMb,
    app: groupUsage(stack.app.pid!).rssMb,
    livekit: groupUsage(stack.livekit.pid!).rssMb,
  });

  // The baseline is taken once the director runs every room (its first decision is in
  // the metadata) and a warm-up later, so start-up allocation doesn't count as growth.
  const t0 = Date.now();
  for (;;) {
    const rooms = await api.listRooms(CHANNELS.map((c) => `channel-${c}`)).catch(() => []);
    if (rooms.length === CHANNELS.length && rooms.every((r) => parseProgram(r.metadata)?.program)) break;
    if (Date.now() - t0 > 180_000) throw new Error("the director did not decide in every channel within 3 min");
    await sleep(500);
  }
  log(`soak: the director decides in all ${CHANNELS.length} channels after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  log(`soak: ${MINUTES} min, channels ${CHANNELS.join(", ")}, 2 talkers each; warming up ${WARMUP_S} s`);
  await sleep(WARMUP_S * 1000);
  const logFrom = { director: sizeOf(logs.director), app: sizeOf(logs.app) };
  const start = { at: Date.now(), rss: rss(), decisions, errors: errors.length };
  log(
    `start: RSS director ${start.rss.director.toFixed(0)} MB, app ${start.rss.app.toFixed(0)} MB, livekit ${start.rss.livekit.toFixed(0)} MB; decisions so far ${decisions}`,
  );
  const end = start.at + MINUTES * 60_000;
  while (Date.now() < end) {
    await sleep(Math.min(60_000, end - Date.now()));
    const now = rss();
    log(
      `${((Date.now() - start.at) / 60000).toFixed(1)} min: RSS director ${now.director.toFixed(0)} MB, app ${now.app.toFixed(0)} MB, livekit ${now.livekit.toFixed(0)} MB; decisions ${decisions - start.decisions}; errors ${errors.length}`,
    );
  }
  const final = rss();
  for (const [name, file] of Object.entries(logs)) for (const l of errorLines(file, logFrom[name as keyof typeof logFrom])) errors.push(`${name} log: ${l.slice(0, 200)}`);

  stopping = true;
  clearInterval(poller);
  await Promise.all(bots.map((b) => b.leave().catch(() => undefined)));
  // A bot that left never finishes its clip: don't wait on the talk loops for long.
  await Promise.race([Promise.allSettled(talking), sleep(3000)]);
  await stack.stop();

  const row = (name: keyof typeof final) => {
    const growth = (final[name] - start.rss[name]) / start.rss[name];
    return { name, start: start.rss[name], end: final[name], growth, ok: growth <= GROWTH_LIMIT };
  };
  const rows = [row("director"), row("app"), row("livekit")];
  console.log("");
  console.log(`soak: ${MINUTES} min after a ${WARMUP_S} s warm-up, ${CHANNELS.length} channels × 2 talkers`);
  console.log("  process    RSS start   RSS end   growth");
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(9)} ${r.start.toFixed(1).padStart(7)} MB ${r.end.toFixed(1).padStart(7)} MB  ${(r.growth * 100).toFixed(1).padStart(5)} %${r.ok ? "" : "  > 10 %"}`,
    );
  }
  console.log(`  decisions  ${decisions - start.decisions} during the soak (${start.decisions} in the warm-up)`);
  console.log(`  errors     ${errors.length}`);
  for (const e of errors.slice(0, 10)) console.log(`    ${e}`);
  const ok = rows.every((r) => r.ok) && errors.length === 0 && decisions - start.decisions > 0;
  console.log(ok ? "soak: ok" : "soak: FAILED");
  process.exit(ok ? 0 : 1);
}

// Ctrl-C: stack.mjs's exit hook stops the stack's process groups on the way out.
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
