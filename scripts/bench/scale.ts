/**
 * `npm run bench:scale`: what the director costs beside the SFU it listens to, at
 * 1×4, 4×4, 10×5 and 20×5 (channels × people), and whether its decisions stay fast.
 * Not part of `npm test`: it measures.
 *
 *   npm run bench:scale -- [--rows 0x0,1x4,4x4,10x5,20x5] [--variants new,old,at:<ref>]
 *                          [--windows 3] [--seconds 10] [--old-ref <git ref>]
 *                          [--downlink on|off] [--turns 6] [--talkers 1]
 *
 * The load costs less than what it measures: each channel's people are clients of
 * LiveKit's Go SDK (tools/loadgen) sending pre-encoded media, no encoding: a camera
 * (H.264, two simulcast layers) and a microphone (Opus) each. `--talkers` of them per
 * channel speak all the time (default 1, a meeting: one person talks, the others'
 * microphones hear a quiet room). With `--downlink on` (default) each channel also gets
 * as many subscribe-only clients, so the SFU forwards what a room of people who see
 * each other would receive.
 * Channel 1 of every row instead has two rtc-node bots that take scripted turns (the
 * decision latency is timed on them) and camera-only publishers for the rest.
 *
 * (Until this load generator, the load was `lk perf load-test`. The Go module proxy
 * serves livekit-cli with its media as Git LFS pointers, so its publishers sent no
 * audio and no video: the SFU forwarded nothing and the director decoded nothing.)
 *
 * Variants are measured side by side in one run, row by row: `new` is this checkout's
 * compiled director; `old` is the director of `--old-ref` (default: the last commit
 * before the one-process director), run as it ran then (tsx, one agents job process
 * per room, 2 warm processes); `old-idle0` is the same with no warm processes;
 * `at:<ref>` is the one-process director of another commit, compiled like `new`.
 * CPU and RSS are read from /proc for each process group (the director's whole tree,
 * and livekit-server), in `--windows` windows of `--seconds`; the table shows medians.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { Room, RoomEvent } from "@livekit/rtc-node";
import { RoomAgentDispatch } from "@livekit/protocol";
import { RoomServiceClient } from "livekit-server-sdk";
import { isDirectorIdentity } from "@/lib/room-state";
import { parseProgram } from "@/lib/room-state";
import { Bot } from "@/tests/helpers/bot";
import { botToken, type Keys } from "@/tests/helpers/tokens";
import { readWav } from "@/tests/helpers/wav";
import { groupUsage, pct, threadUsage } from "./proc";
import { CACHE, ROOT, ensureLoadgen, log } from "../lib/bootstrap.mjs";
import { buildDirector } from "../lib/build-director.mjs";
import { freeTcpPort, spawnService, stopService } from "../lib/stack.mjs";
import { arg, benchStack, flag } from "./common";

const ROWS = arg("rows", "0x0,1x4,4x4,10x5,20x5")
  .split(",")
  .map((r) => r.split("x").map(Number) as [number, number]);
const VARIANTS = arg("variants", "new,old").split(",");
const WINDOWS = Number(arg("windows", "3"));
const SECONDS = Number(arg("seconds", "10"));
const OLD_REF = arg("old-ref", "1f1f392");
const DOWNLINK = arg("downlink", "on") !== "off";
const TURNS = Number(arg("turns", "6"));
const TALKERS = Number(arg("talkers", "1"));
// --profile: write a V8 CPU profile of the new director per row to .cache/prof/
const PROFILE = flag("profile");

const DIRECTOR_AGENT = "director";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fx = (n: string) => readWav(join(ROOT, "tests", "fixtures", "audio", n)).samples;
const SPEECH = ["speech-alice.wav", "speech-bob.wav", "speech-carol.wav"].map(fx);

const median = (xs: number[]) => pct(xs, 50);

interface Variant {
  name: string;
  start(env: Record<string, string | undefined>, port: number, logDir: string): ChildProcess;
}

/** The checkout at `ref`: a worktree beside .cache, sharing node_modules. */
function worktreeAt(ref: string): string {
  const dir = join(CACHE, "bench", `director-${ref}`);
  if (!existsSync(dir)) {
    mkdirSync(join(CACHE, "bench"), { recursive: true });
    const r = spawnSync("git", ["worktree", "add", "--detach", dir, ref], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`git worktree add ${ref} failed`);
  }
  if (!existsSync(join(dir, "node_modules"))) symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** The director as it was at `ref` (a process per room), run as it ran then. */
function oldDirector(ref: string, idle: number): Variant {
  const dir = worktreeAt(ref);
  return {
    name: idle === 2 ? "old" : `old-idle${idle}`,
    start: (env, port, logDir) =>
      spawnService("director-old", process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(dir, "worker", "main.ts")], {
        env: { ...env, DIRECTOR_HTTP_PORT: String(port), DIRECTOR_IDLE_PROCESSES: String(idle) },
        logFile: join(logDir, `director-old-${idle}.log`),
        quiet: true,
        cwd: dir,
      }),
  };
}

/**
 * The one-process director as it was at `ref` (`--variants new,at:<ref>`), compiled the
 * same way as `new`: compares two versions of it side by side in one run.
 */
function compiledDirectorAt(ref: string): Variant {
  const dir = worktreeAt(ref);
  const out = buildDirector({ root: dir });
  return {
    name: `at:${ref}`,
    start: (env, port, logDir) =>
      spawnService("director-at", process.execPath, ["--enable-source-maps", out], {
        env: { ...env, DIRECTOR_HTTP_PORT: String(port) },
        logFile: join(logDir, `director-at-${ref}.log`),
        quiet: true,
        cwd: dir,
      }),
  };
}

const newDirector: Variant = {
  name: "new",
  start: (env, port, logDir) =>
    spawnService("director", process.execPath, [...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${join(CACHE, "prof")}`] : []), "--enable-source-maps", buildDirector()], {
      env: { ...env, DIRECTOR_HTTP_PORT: String(port) },
      logFile: join(logDir, "director-new.log"),
      quiet: true,
    }),
};

async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // not yet
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

type Loadgen = Awaited<ReturnType<typeof ensureLoadgen>>;

/** One load generator per channel: P people (camera, and microphone unless `audio` is off), P subscribers. */
function channelLoad(gen: Loadgen, livekitUrl: string, keys: Keys, room: string, pubs: number, audio: boolean, seconds: number): ChildProcess {
  const args = [
    "-url", livekitUrl,
    "-room", room,
    "-identity-prefix", `lg_${room}`,
    "-publishers", String(pubs),
    `-audio=${audio}`,
    "-talkers", String(TALKERS),
    "-subscribers", String(DOWNLINK ? pubs : 0),
    "-speech", gen.media.speech,
    "-quiet", gen.media.quiet,
    "-video-low", gen.media.low,
    "-video-high", gen.media.high,
    "-duration", `${seconds}s`,
  ];
  const child = spawn(gen.bin, args, {
    env: { ...process.env, LIVEKIT_API_KEY: keys.key, LIVEKIT_API_SECRET: keys.secret },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  // The SDK logs every subscription; only the generator's own failures are shown.
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => {
    for (const l of d.split("\n")) if (l.startsWith("loadgen:")) console.error(l);
  });
  process.once("exit", () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone
    }
  });
  return child;
}

interface RowResult {
  variant: string;
  channels: number;
  people: number;
  directorCpu: number;
  livekitCpu: number;
  ratio: number;
  rssMb: number;
  procs: number;
  decisions: number[];
  joinToDirected: number[];
  /** the director's CPU by thread group over the windows, % of one core (single-process variants) */
  threads: [string, number][];
  /** the load generators' CPU (loadgen + bots' process), % of one core: what the machine spends on the load */
  loadCpu: number;
  /** voice-model windows run per second (each 32 ms of one participant's audio) */
  modelRate: number;
  /** runs of the model per second (batches; NaN for directors that ran each window alone) */
  modelRuns: number;
}

async function runRow(
  variant: Variant,
  channels: number,
  people: number,
  ctx: { livekitUrl: string; keys: Keys; livekitPgid: number; gen: Loadgen; env: Record<string, string | undefined>; logDir: string },
): Promise<RowResult> {
  const api = new RoomServiceClient(ctx.livekitUrl.replace(/^ws/, "http"), ctx.keys.key, ctx.keys.secret);
  for (const r of await api.listRooms()) await api.deleteRoom(r.name).catch(() => undefined);
  const port = await freeTcpPort();
  const director = variant.start(ctx.env, port, ctx.logDir);
  // However this run ends (Ctrl-C, a timeout), take the director's whole group with it.
  const killGroup = () => {
    try {
      process.kill(-director.pid!, "SIGKILL");
    } catch {
      // gone
    }
  };
  process.once("exit", killGroup);
  await until(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, `${variant.name} director registered`, 60_000);
  const loadSeconds = 60 + WINDOWS * SECONDS * 2 + TURNS * 8;
  const lks: ChildProcess[] = [];
  const bots: Bot[] = [];
  let watcher: Room | null = null;
  const decisionLatency: number[] = [];
  let talking: Promise<void> = Promise.resolve();
  let stopTalk = false;
  const joinToDirected: number[] = [];
  try {
    if (channels > 0) {
      // Channel 1: two scripted rtc-node talkers (+ silent video publishers); timed.
      const timed = "channel-1";
      watcher = new Room();
      const decisions: { at: number; program: string | null }[] = [];
      for (let i = 0; i < Math.min(2, people); i++) {
        const b = new Bot(`p_scale_${i}`);
        await b.join(ctx.livekitUrl, await botToken(ctx.keys, timed, b.identity, { name: b.identity }));
        bots.push(b);
      }
      await watcher.connect(ctx.livekitUrl, await botToken(ctx.keys, timed, "v_scale", { role: "viewer" }), { autoSubscribe: false, dynacast: false });
      watcher.on(RoomEvent.RoomMetadataChanged, (md) => {
        const p = parseProgram(md);
        if (p) decisions.push({ at: p.since, program: p.program });
      });
      // The generator's tokens carry no agent dispatch; the app's do. Create each room as the
      // app's first token would, so join → directed measures the product's path.
      for (let c = 2; c <= channels; c++) {
        await api.createRoom({ name: `channel-${c}`, agents: [new RoomAgentDispatch({ agentName: DIRECTOR_AGENT })] });
      }
      if (people > 2) lks.push(channelLoad(ctx.gen, ctx.livekitUrl, ctx.keys, timed, people - 2, false, loadSeconds));
      for (let c = 2; c <= channels; c++) lks.push(channelLoad(ctx.gen, ctx.livekitUrl, ctx.keys, `channel-${c}`, people, true, loadSeconds));
      // Every room directed, and every expected participant in it.
      await until(
        async () => {
          const rooms = await api.listRooms();
          if (rooms.length < channels) return false;
          for (const r of rooms) {
            const ps = await api.listParticipants(r.name);
            if (!ps.some((p) => isDirectorIdentity(p.identity))) return false;
          }
          return true;
        },
        `${channels} directed rooms`,
        120_000,
      );
      // join → directed, per room, on LiveKit's clock: room created (first participant) → director joined
      for (const r of await api.listRooms()) {
        const ps = await api.listParticipants(r.name);
        const d = ps.filter((p) => isDirectorIdentity(p.identity)).map((p) => Number(p.joinedAtMs))[0];
        if (d) joinToDirected.push(d - Number(r.creationTimeMs));
      }
      await sleep(5000); // streams settle
      // Scripted turns in channel 1 while the CPU windows run.
      talking = (async () => {
        for (let turn = 0; turn < TURNS && !stopTalk; turn++) {
          const b = bots[turn % bots.length]!;
          const before = decisions.length;
          const onsetPerf = await b.say(SPEECH[turn % SPEECH.length]!);
          const onset = Date.now() - (performance.now() - onsetPerf);
          await b.drained();
          const mine = decisions.slice(before).find((d) => d.program === b.identity);
          if (mine) decisionLatency.push(mine.at - onset);
          await sleep(1500);
        }
      })();
    } else {
      await sleep(3000);
    }
    const cpuD: number[] = [];
    const cpuL: number[] = [];
    const ratios: number[] = [];
    const rss: number[] = [];
    let procs = 0;
    const th0 = threadUsage(director.pid!);
    const tw0 = performance.now();
    const loadUsage = () => lks.reduce((a, c) => a + groupUsage(c.pid!).cpuS, 0) + process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
    const load0 = loadUsage();
    // The voice model's windows (new directors report them on their health answer).
    const modelWindows = async (): Promise<{ windows: number; runs: number }> => {
      try {
        const h = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { voiceModel?: { windows?: number; runs?: number } | null };
        return { windows: h.voiceModel?.windows ?? Number.NaN, runs: h.voiceModel?.runs ?? Number.NaN };
      } catch {
        return { windows: Number.NaN, runs: Number.NaN };
      }
    };
    const win0 = await modelWindows();
    for (let w = 0; w < WINDOWS; w++) {
      const d0 = groupUsage(director.pid!);
      const l0 = groupUsage(ctx.livekitPgid);
      const t0 = performance.now();
      await sleep(SECONDS * 1000);
      const d1 = groupUsage(director.pid!);
      const l1 = groupUsage(ctx.livekitPgid);
      const wall = (performance.now() - t0) / 1000;
      const dc = ((d1.cpuS - d0.cpuS) / wall) * 100;
      const lc = ((l1.cpuS - l0.cpuS) / wall) * 100;
      cpuD.push(dc);
      cpuL.push(lc);
      ratios.push(lc > 0 ? dc / lc : Number.NaN);
      rss.push(d1.rssMb);
      procs = d1.procs;
    }
    const twall = (performance.now() - tw0) / 1000;
    const loadCpu = ((loadUsage() - load0) / twall) * 100;
    const win1 = await modelWindows();
    const modelRate = (win1.windows - win0.windows) / twall;
    const modelRuns = (win1.runs - win0.runs) / twall;
    const th1 = threadUsage(director.pid!);
    const threads = [...th1]
      .map(([name, s]) => [name, ((s - (th0.get(name) ?? 0)) / twall) * 100] as [string, number])
      .filter(([, v]) => v >= 0.5)
      .sort((a, b) => b[1] - a[1]);
    await talking;
    return {
      threads,
      loadCpu,
      modelRate,
      modelRuns,
      variant: variant.name,
      channels,
      people,
      directorCpu: median(cpuD),
      livekitCpu: median(cpuL),
      ratio: median(ratios),
      rssMb: median(rss),
      procs,
      decisions: decisionLatency,
      joinToDirected,
    };
  } finally {
    stopTalk = true;
    await talking.catch(() => undefined);
    for (const c of lks) {
      try {
        process.kill(-c.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }
    await watcher?.disconnect().catch(() => undefined);
    for (const b of bots) await b.leave().catch(() => undefined);
    await stopService(director);
    process.off("exit", killGroup);
    for (const r of await api.listRooms().catch(() => [])) await api.deleteRoom(r.name).catch(() => undefined);
    await sleep(2000);
  }
}

async function main() {
  let gen: Loadgen | null = null;
  const logDir = join(ROOT, ".cache", "logs", "bench-scale");
  // The app runs as in npm start (it shares the machine); the directors are started per row.
  const { stack } = await benchStack({
    logDir,
    withDirector: false,
    before: async () => {
      if (ROWS.some(([c]) => c! > 0)) gen = await ensureLoadgen();
    },
  });
  const variants = VARIANTS.map((v) => (v === "new" ? newDirector : v === "old" ? oldDirector(OLD_REF, 2) : v === "old-idle0" ? oldDirector(OLD_REF, 0) : v.startsWith("at:") ? compiledDirectorAt(v.slice(3)) : null)).filter(
    (v): v is Variant => v !== null,
  );
  const ctx = { livekitUrl: stack.livekitUrl, keys: stack.keys, livekitPgid: stack.children[0]!.pid!, gen: gen!, env: stack.serviceEnv, logDir };
  const results: RowResult[] = [];
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "—");
  const line = (r: RowResult) =>
    `| ${r.channels}×${r.people} | ${r.variant} | ${f(r.directorCpu, 1)} | ${f(r.livekitCpu, 1)} | ${f(r.ratio, 2)} | ${f(r.rssMb)} | ${r.procs} | ${f(median(r.decisions))} / ${f(pct(r.decisions, 90))} (${r.decisions.length}) | ${f(median(r.joinToDirected))} / ${f(pct(r.joinToDirected, 90))} (${r.joinToDirected.length}) |`;
  try {
    for (const [channels, people] of ROWS) {
      for (const v of variants) {
        log(`row ${channels}×${people}, director ${v.name}`);
        const r = await runRow(v, channels!, people!, ctx);
        results.push(r);
        console.log(line(r)); // each row as soon as it is measured
        console.log(`  ${r.variant} threads: ${r.threads.map(([n, v]) => `${n} ${v.toFixed(1)}`).join(", ")}; voice model ${r.modelRate.toFixed(0)} windows/s in ${Number.isFinite(r.modelRuns) ? r.modelRuns.toFixed(0) : r.modelRate.toFixed(0)} runs/s; load generators ${r.loadCpu.toFixed(0)} %`);
      }
    }
  } finally {
    await stack.stop();
  }
  console.log("");
  console.log(
    `bench:scale — medians of ${WINDOWS} windows of ${SECONDS} s; CPU in % of one core; downlink ${DOWNLINK ? "on" : "off"}; ${TALKERS} talker(s) per channel; ${TURNS} scripted turns per row`,
  );
  console.log("| channels×people | director | director CPU | livekit CPU | ratio | director RSS MB | processes | onset→decision p50 / p90 ms (n) | join→directed p50 / p90 ms (n) |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of results) console.log(line(r));
  process.exit(0);
}

process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

void main();
