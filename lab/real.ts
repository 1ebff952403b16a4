/**
 * Real-pipeline mode: `npm run lab -- --real --scenarios DIR`.
 *
 * Replays each scenario through the real stack and scores the real director with the
 * lab's metrics: livekit-server and the director (worker/main.ts, a black box) start on
 * free ports; one rtc-node bot per participant publishes that participant's generated
 * WAV as a microphone (Opus over loopback WebRTC), all started together; a watcher reads
 * the director's decisions from the room metadata (`director.program`, `since` is the
 * director's wall-clock time of the decision). The cuts, on the scenario's clock, go
 * through the same evaluate() as the simulated runs.
 *
 * Not replayed: `action` events (mute/leave/join need a scripted client, not a WAV) and
 * the `network` impairments (loopback has no loss or jitter). Scenarios with actions are
 * skipped with a note; network impairments are reported as a known gap.
 */
import { join } from "node:path";
import { Room, RoomEvent } from "@livekit/rtc-node";
import { RoomServiceClient } from "livekit-server-sdk";
import { parseProgram } from "@/lib/program";
import { Bot } from "@/tests/helpers/bot";
import { botToken, type Keys } from "@/tests/helpers/tokens";
import type { Generated } from "./lab";
import { type Cut, type RunRecord, evaluate } from "./metrics";
import { familyOf } from "./scenario";
import { readWav16 } from "./speech-track";

export const REAL_POLICY = "director (real)";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RealStack {
  livekitUrl: string;
  keys: Keys;
  stop(): Promise<void>;
}

/** livekit-server and the director only (the app is not needed to direct). */
export async function startRealStack(logDir: string): Promise<RealStack> {
  const bootstrap = (await import("../scripts/lib/bootstrap.mjs")) as unknown as { ensureLivekitServer(): Promise<string>; CACHE: string };
  const stackLib = (await import("../scripts/lib/stack.mjs")) as unknown as {
    freeTcpPort(): Promise<number>;
    freeUdpPort(): Promise<number>;
    resolveKeys(env?: Record<string, string | undefined>): { key: string; secret: string };
    livekitConfig(o: { ports: Record<string, number>; keys: Keys; webhookUrl: string }): Promise<string>;
    spawnService(name: string, cmd: string, args: string[], o: { env: Record<string, string | undefined>; logFile: string; quiet: boolean }): import("node:child_process").ChildProcess;
    startDirector(o: { env: Record<string, string | undefined>; ports: Record<string, number>; logDir: string; quiet?: boolean }): import("node:child_process").ChildProcess;
    stopService(c: import("node:child_process").ChildProcess, graceMs?: number): Promise<void>;
  };
  const { mkdirSync, writeFileSync } = await import("node:fs");
  mkdirSync(logDir, { recursive: true });
  const livekitBin = await bootstrap.ensureLivekitServer();
  const ports = { app: await stackLib.freeTcpPort(), http: await stackLib.freeTcpPort(), tcp: await stackLib.freeTcpPort(), udp: await stackLib.freeUdpPort(), director: await stackLib.freeTcpPort() };
  const keys = stackLib.resolveKeys(process.env);
  // Nothing listens on the app port: livekit's webhooks to it fail quietly, which the director does not need.
  const config = await stackLib.livekitConfig({ ports, keys, webhookUrl: `http://127.0.0.1:${ports.app}/api/webhooks/livekit` });
  const configPath = join(logDir, `livekit-${ports.http}.yaml`);
  writeFileSync(configPath, config);
  const children: Array<import("node:child_process").ChildProcess> = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.splice(0).reverse().map((c) => stackLib.stopService(c)));
  };
  process.once("exit", () => {
    for (const c of children) {
      try {
        if (c.pid) process.kill(-c.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  });
  const livekit = stackLib.spawnService("livekit", livekitBin, ["--config", configPath, "--node-ip", "127.0.0.1"], {
    env: { ...process.env, LIVEKIT_KEYS: `${keys.key}: ${keys.secret}` },
    logFile: join(logDir, "livekit.log"),
    quiet: true,
  });
  children.push(livekit);
  const livekitUrl = `ws://127.0.0.1:${ports.http}`;
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${ports.http}/`)).ok, 20_000, "livekit-server");
  const env = { ...process.env, LIVEKIT_URL: livekitUrl, LIVEKIT_API_KEY: keys.key, LIVEKIT_API_SECRET: keys.secret };
  const director = stackLib.startDirector({ env, ports, logDir, quiet: true });
  children.push(director);
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${ports.director}/`)).ok, 30_000, "the director");
  return { livekitUrl, keys, stop };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what} was not ready within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface RealRun {
  record: RunRecord;
  cuts: Cut[];
  /** max − min of the bots' first-frame times: how well the participants were aligned */
  startSpreadMs: number;
}

/** Whether a scenario can be replayed by WAV-playing bots. */
export function replayable(g: Generated): string | null {
  if (g.gen.truth.actions.length > 0) return "has mute/leave/join actions (bots play WAVs only)";
  return null;
}

/** One scenario through the real stack; `room` is a channel room the director directs. */
export async function runReal(stack: RealStack, g: Generated, room: string): Promise<RealRun> {
  const { gen, loaded } = g;
  const ids = gen.trace.participants;
  const identity = (id: string): string => `p_lab_${id}`;
  const byIdentity = new Map(ids.map((id) => [identity(id), id]));
  const bots = ids.map((id) => new Bot(identity(id)));
  const watcher = new Room();
  const api = new RoomServiceClient(stack.livekitUrl.replace(/^ws/, "http"), stack.keys.key, stack.keys.secret);
  const decisions: Array<{ since: number; program: string | null; seq: number }> = [];
  try {
    await watcher.connect(stack.livekitUrl, await botToken(stack.keys, room, "v_lab", { role: "viewer" }), { autoSubscribe: false, dynacast: false });
    watcher.on(RoomEvent.RoomMetadataChanged, (md: string) => {
      const p = parseProgram(md);
      if (p && !decisions.some((d) => d.seq === p.seq)) decisions.push({ since: p.since, program: p.program, seq: p.seq });
    });
    for (const b of bots) await b.join(stack.livekitUrl, await botToken(stack.keys, room, b.identity, { name: b.identity }));
    // The director joins on dispatch and subscribes; wait until it is in, then let streams settle.
    await waitUntil(async () => (await api.listParticipants(room)).some((p) => p.identity.startsWith("director")), 30_000, "the director in the room");
    await sleep(2500);
    const pcm = ids.map((id) => readWav16(join(gen.dir, `${id}.wav`)).pcm);
    // Queue every WAV at once: each bot sends its first frame on its next 20 ms tick.
    const onsetsPerf = await Promise.all(bots.map((b, i) => b.say(pcm[i] ?? new Int16Array(0))));
    const perfToEpoch = Date.now() - performance.now();
    const starts = onsetsPerf.map((p) => p + perfToEpoch);
    const t0 = Math.min(...starts);
    await Promise.all(bots.map((b) => b.drained()));
    await sleep(1500); // decisions still in flight
    const cuts: Cut[] = [];
    let cur: string | null = null;
    for (const d of [...decisions].sort((a, b) => a.seq - b.seq)) {
      const to = d.program === null ? null : (byIdentity.get(d.program) ?? null);
      if (to === cur) continue;
      cuts.push({ t: Math.max(0, d.since - t0), to, from: cur });
      cur = to;
    }
    const s = loaded.scenario;
    const record = evaluate(gen.truth, cuts, { scenario: gen.name, family: familyOf(s), split: s.split, policy: REAL_POLICY, run: 0 });
    return { record, cuts, startSpreadMs: Math.max(...starts) - t0 };
  } finally {
    for (const b of bots) await b.leave().catch(() => undefined);
    await watcher.disconnect().catch(() => undefined);
    await api.deleteRoom(room).catch(() => undefined);
  }
}
