/**
 * `npm run bench:switch`: a scripted conversation of K bots through the real stack
 * (livekit-server, director, app, and a Chromium /viewer), then the director's cost at
 * 4, 20 and 60 participants. Prints one table. Not part of `npm test`: it measures.
 *
 *   npm run bench:switch -- [--bots 4] [--turns 12] [--load 4,20,60] [--seconds 15]
 */
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { Room, RoomEvent } from "@livekit/rtc-node";
import { RoomServiceClient } from "livekit-server-sdk";
import { isDirectorIdentity } from "@/lib/room-state";
import { parseProgram } from "@/lib/room-state";
import { Bot } from "@/tests/helpers/bot";
import { botToken, type Keys } from "@/tests/helpers/tokens";
import { readWav } from "@/tests/helpers/wav";
import { groupUsage, pct } from "./proc";
// The bootstrap and stack helpers are plain .mjs shared with npm start/test.
import { ROOT, log } from "../lib/bootstrap.mjs";
import { arg, benchStack } from "./common";

const K = Number(arg("bots", "4"));
const TURNS = Number(arg("turns", "12"));
const LOADS = arg("load", "4,20,60").split(",").map(Number).filter((n) => n > 0);
const SECONDS = Number(arg("seconds", "15"));

const fx = (n: string) => readWav(join(ROOT, "tests", "fixtures", "audio", n)).samples;
const SPEECH = ["speech-alice.wav", "speech-bob.wav", "speech-carol.wav"].map(fx);
const CLICK = fx("click.wav");
const YES = fx("yes.wav");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Time from a room's first participant connecting to the director being in it, N rooms. */
async function dispatchRun(livekitUrl: string, keys: Keys, n: number): Promise<number[]> {
  const api = new RoomServiceClient(livekitUrl.replace(/^ws/, "http"), keys.key, keys.secret);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const room = `channel-${20 - i}`;
    const b = new Bot(`p_dispatch_${i}`);
    const t0 = performance.now();
    await b.join(livekitUrl, await botToken(keys, room, b.identity), { publish: false });
    for (;;) {
      const ps = await api.listParticipants(room);
      if (ps.some((p) => isDirectorIdentity(p.identity))) break;
      if (performance.now() - t0 > 30000) throw new Error(`no director in ${room} after 30 s`);
      await sleep(20);
    }
    out.push(performance.now() - t0);
    await b.leave();
    await api.deleteRoom(room).catch(() => undefined);
    await sleep(1500); // let the job end and the idle process pool refill
  }
  return out;
}

async function latencyRun(livekitUrl: string, appUrl: string, keys: Keys, chromiumPath: string) {
  const room = "channel-18";
  const bots = Array.from({ length: K }, (_, i) => new Bot(`p_bench_${i}`));
  for (const b of bots) await b.join(livekitUrl, await botToken(keys, room, b.identity, { name: b.identity }), { video: true });
  const watcher = new Room();
  await watcher.connect(livekitUrl, await botToken(keys, room, "v_bench", { role: "viewer" }), { autoSubscribe: false, dynacast: false });
  const decisions: { at: number; program: string | null; seq: number }[] = [];
  watcher.on(RoomEvent.RoomMetadataChanged, (md) => {
    const p = parseProgram(md);
    if (p) decisions.push({ at: p.since, program: p.program, seq: p.seq });
  });

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-background-networking", "--disable-component-update"],
  });
  const page = await browser.newPage();
  // Record when the viewer's visible program video changes participant: the viewer
  // cuts only after the new track's first frame, so this is "displayed".
  await page.addInitScript(() => {
    const w = window as unknown as { __cuts: { identity: string; at: number }[] };
    w.__cuts = [];
    let last = "";
    new MutationObserver(() => {
      const v = document.querySelector('[data-testid="program-video"]');
      const id = v?.getAttribute("data-identity") ?? "";
      if (id && id !== last) {
        last = id;
        w.__cuts.push({ identity: id, at: Date.now() });
      }
    }).observe(document, { subtree: true, attributes: true, childList: true, attributeFilter: ["data-identity", "data-testid"] });
  });
  await page.goto(`${appUrl}/viewer?channel=18`);
  await sleep(2000);

  const onsetToDecision: number[] = [];
  const decisionToDisplay: number[] = [];
  let falseSwitches = 0;
  let transients = 0;
  let missed = 0;
  let holder = -1;
  for (let turn = 0; turn < TURNS; turn++) {
    const who = (holder + 1 + (turn % 2)) % K === holder ? (holder + 1) % K : (holder + 1 + (turn % 2)) % K;
    const before = decisions.length;
    const onsetPerf = await bots[who]!.say(SPEECH[turn % SPEECH.length]!);
    const onset = Date.now() - (performance.now() - onsetPerf);
    // A non-speaker clicks or says "yes" in the middle of the turn: must not switch.
    await sleep(1500);
    const other = bots[(who + 1) % K]!;
    void other.say(turn % 2 === 0 ? CLICK : YES);
    transients++;
    await bots[who]!.drained();
    await sleep(300 + ((turn * 137) % 500)); // gap 300–800 ms
    const mine = decisions.slice(before);
    const first = mine.find((d) => d.program === bots[who]!.identity);
    if (first) {
      onsetToDecision.push(first.at - onset);
      const cuts = await page.evaluate(() => (window as unknown as { __cuts: { identity: string; at: number }[] }).__cuts);
      const cut = cuts.find((c) => c.identity === bots[who]!.identity && c.at >= first.at - 50);
      if (cut) decisionToDisplay.push(cut.at - first.at);
    } else if (holder !== who) missed++;
    falseSwitches += mine.filter((d) => d.program !== bots[who]!.identity).length;
    holder = who;
  }
  await browser.close();
  await watcher.disconnect();
  for (const b of bots) await b.leave();
  return { onsetToDecision, decisionToDisplay, falseSwitches, transients, missed };
}

async function loadRun(livekitUrl: string, keys: Keys, directorPgid: number, n: number) {
  const perRoom = 4;
  const rooms = Math.max(1, Math.ceil(n / perRoom));
  const bots: Bot[] = [];
  for (let i = 0; i < n; i++) {
    const room = `channel-${1 + (i % rooms)}`;
    // A fresh Bot on a failed connect: rtc-node can't reuse a Room whose connect failed.
    let b = new Bot(`p_load_${n}_${i}`);
    for (let attempt = 1; ; attempt++) {
      try {
        await b.join(livekitUrl, await botToken(keys, room, b.identity));
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        log(`bot ${b.identity} failed to join (${String(err)}); retrying`);
        await sleep(500);
        b = new Bot(`p_load_${n}_${i}_r${attempt}`);
      }
    }
    bots.push(b);
  }
  // Keep one talker active per room, rotating, so the director meters real speech.
  let stop = false;
  const talk = async (roomIdx: number) => {
    const members = bots.filter((_, i) => i % rooms === roomIdx);
    let k = 0;
    while (!stop) {
      const b = members[k++ % members.length]!;
      await b.say(SPEECH[k % SPEECH.length]!);
      await b.drained();
    }
  };
  log(`  ${n} bots joined ${rooms} rooms`);
  await sleep(4000); // directors join, streams settle
  const loops = Array.from({ length: rooms }, (_, r) => talk(r));
  await sleep(2000);
  log(`  measuring the director for ${SECONDS} s`);
  const a = groupUsage(directorPgid);
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const b = groupUsage(directorPgid);
  const wall = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.race([Promise.all(loops), sleep(6000)]);
  for (const bot of bots) await bot.leave().catch(() => undefined);
  await sleep(2000);
  const cpuPct = ((b.cpuS - a.cpuS) / wall) * 100;
  return { n, rooms, cpuPct, rssMb: b.rssMb, procs: b.procs };
}

async function main() {
  const { stack, chromiumPath } = await benchStack({ chromium: true });
  try {
    const DISPATCHES = Number(arg("dispatches", "5"));
    if (DISPATCHES > 0) {
      log(`dispatch run: ${DISPATCHES} new rooms`);
      const d = await dispatchRun(stack.livekitUrl, stack.keys, DISPATCHES);
      console.log(`first participant connected → director in the room (ms): p50 ${pct(d, 50).toFixed(0)}, max ${Math.max(...d).toFixed(0)} — ${d.map((x) => x.toFixed(0)).join(", ")}`);
    }
    log(`latency run: ${K} bots, ${TURNS} turns`);
    const lat = TURNS > 0 ? await latencyRun(stack.livekitUrl, stack.appUrl, stack.keys, chromiumPath) : { onsetToDecision: [], decisionToDisplay: [], falseSwitches: 0, transients: 0, missed: 0 };
    const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "—");
    console.log("");
    console.log(`switch benchmark — ${K} bots, ${TURNS} turns, ${lat.transients} transients (clicks and "yes"), loopback`);
    console.log("| metric | p50 | p90 | n |");
    console.log("|---|---|---|---|");
    console.log(`| onset → decision (ms) | ${f(pct(lat.onsetToDecision, 50))} | ${f(pct(lat.onsetToDecision, 90))} | ${lat.onsetToDecision.length} |`);
    console.log(`| decision → viewer shows new video (ms) | ${f(pct(lat.decisionToDisplay, 50))} | ${f(pct(lat.decisionToDisplay, 90))} | ${lat.decisionToDisplay.length} |`);
    const total = lat.onsetToDecision.map((x, i) => x + (lat.decisionToDisplay[i] ?? Number.NaN)).filter(Number.isFinite);
    console.log(`| onset → viewer display (ms) | ${f(pct(total, 50))} | ${f(pct(total, 90))} | ${total.length} |`);
    console.log(`false switches: ${lat.falseSwitches}; missed turns: ${lat.missed}`);
    console.log(`raw onset→decision: ${lat.onsetToDecision.map(f).join(", ")}`);
    console.log(`raw decision→display: ${lat.decisionToDisplay.map(f).join(", ")}`);
    console.log("");
    const loads = [];
    for (const n of LOADS) {
      log(`load run: ${n} participants`);
      const l = await loadRun(stack.livekitUrl, stack.keys, stack.director!.pid!, n);
      loads.push(l);
      // Each row as soon as it is measured: a larger run may not finish on a small machine.
      log(`  ${n} participants: director ${l.cpuPct.toFixed(1)} % of a core (${(l.cpuPct / n).toFixed(2)} per participant), ${l.rssMb.toFixed(0)} MB RSS in ${l.procs} processes`);
    }
    console.log("| participants | rooms | director CPU % of one core | per participant | director RSS MB | per participant | processes |");
    console.log("|---|---|---|---|---|---|---|");
    for (const l of loads) {
      console.log(`| ${l.n} | ${l.rooms} | ${l.cpuPct.toFixed(1)} | ${(l.cpuPct / l.n).toFixed(2)} | ${l.rssMb.toFixed(0)} | ${(l.rssMb / l.n).toFixed(1)} | ${l.procs} |`);
    }
  } finally {
    await stack.stop();
  }
  process.exit(0);
}

// Ctrl-C or a timeout's SIGTERM: exit, so the stack's exit hook stops its processes.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

void main();
