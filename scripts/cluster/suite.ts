/**
 * The scale-out suite (`npm run test:cluster`; scripts/test-cluster.mjs bootstraps and
 * runs this). Real processes on free ports:
 *   redis-server (no persistence), two livekit-server nodes sharing it (each with its own
 *   signalling, ICE/TCP and UDP ports, node IP 127.0.0.1), a TCP balancer in front of
 *   the nodes (what a load balancer or DNS does in a deployment: one URL, any live
 *   node), two director processes and the app, both talking to LiveKit through it.
 * Participants are rtc-node bots that take their tokens from the app's /api/token like
 * the page does (keeping its identity cookie), speak in a loop, and rejoin with a fresh
 * token when LiveKit drops them, as the pages do (lib/client/heal.ts).
 * Last line: `N passed, M failed`.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { Room, RoomEvent } from "@livekit/rtc-node";
import { RoomAgentDispatch, RoomServiceClient } from "livekit-server-sdk";
import { ATTR_HEARTBEAT, isDirectorIdentity } from "@/lib/room-state";
import { parseProgram } from "@/lib/room-state";
import { CACHE, ROOT, log, warn, which } from "../lib/bootstrap.mjs";
import { freeTcpPort, freeUdpPort, livekitConfig, resolveKeys, spawnService, startDirector, stopService, waitFor } from "../lib/stack.mjs";
import { Bot } from "../../tests/helpers/bot";
import { until } from "../../tests/helpers/stack-env";
import { readWav } from "../../tests/helpers/wav";

const LOGS = join(CACHE, "logs", "cluster");
const RUN = join(CACHE, "run");
const REJOIN_MS = 20_000;
const TAKEOVER_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
process.once("exit", () => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, "SIGKILL");
    } catch {
      // gone
    }
  }
});


// ── Redis ────────────────────────────────────────────────────────────────────
/** One command over RESP; enough for PING, HGET and HKEYS. */
function redis(port: number, ...args: string[]): Promise<string | string[] | null> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    sock.setTimeout(3000, () => sock.destroy(new Error("redis timeout")));
    sock.on("error", reject);
    sock.on("connect", () => sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`));
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      const parsed = parseResp(buf, 0);
      if (parsed) {
        sock.end();
        resolve(parsed.value);
      }
    });
  });
}

function parseResp(b: Buffer, at: number): { value: string | string[] | null; end: number } | null {
  const eol = b.indexOf("\r\n", at);
  if (eol < 0) return null;
  const line = b.toString("utf8", at + 1, eol);
  switch (String.fromCharCode(b[at]!)) {
    case "+":
    case ":":
      return { value: line, end: eol + 2 };
    case "-":
      throw new Error(`redis: ${line}`);
    case "$": {
      const n = Number(line);
      if (n < 0) return { value: null, end: eol + 2 };
      if (b.length < eol + 2 + n + 2) return null;
      return { value: b.toString("utf8", eol + 2, eol + 2 + n), end: eol + 2 + n + 2 };
    }
    case "*": {
      const n = Number(line);
      const out: string[] = [];
      let p = eol + 2;
      for (let i = 0; i < n; i++) {
        const r = parseResp(b, p);
        if (!r) return null;
        out.push(String(r.value));
        p = r.end;
      }
      return { value: out, end: p };
    }
  }
  throw new Error("redis: unexpected reply");
}

// ── the balancer ─────────────────────────────────────────────────────────────
/** Round-robin TCP forwarding to the nodes that accept a connection (signalling + API). */
function balancer(ports: () => number[]): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  let next = 0;
  const open = new Set<Socket>();
  const server = createServer((client: Socket) => {
    open.add(client);
    client.once("close", () => open.delete(client));
    client.pause();
    const targets = ports();
    const order = targets.map((_, i) => targets[(next + i) % targets.length]!);
    next++;
    const attempt = (i: number) => {
      if (i >= order.length) return client.destroy();
      const up = createConnection(order[i]!, "127.0.0.1");
      open.add(up);
      up.once("close", () => open.delete(up));
      up.once("connect", () => {
        up.removeAllListeners("error");
        up.on("error", () => client.destroy());
        client.on("error", () => up.destroy());
        client.pipe(up).pipe(client);
        client.resume();
      });
      up.once("error", () => attempt(i + 1));
    };
    attempt(0);
  });
  // server.close() waits for every connection to end: the app's and the directors'
  // never do, so close cuts them.
  const close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      for (const sock of open) sock.destroy();
    });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port, close })),
  );
}

// ── bots that heal like the pages ────────────────────────────────────────────
class HealingBot {
  bot: Bot | null = null;
  identity = "";
  joins = 0;
  private cookie = "";
  private stopped = false;
  private healing = false;

  constructor(
    readonly appUrl: string,
    readonly name: string,
    readonly channel: number,
    readonly speech: Int16Array,
  ) {}

  async token(): Promise<{ serverUrl: string; token: string; identity: string }> {
    const res = await fetch(`${this.appUrl}/api/token`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ name: this.name, channel: this.channel }),
    });
    if (!res.ok) throw new Error(`/api/token ${res.status}`);
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    return (await res.json()) as { serverUrl: string; token: string; identity: string };
  }

  async join(): Promise<void> {
    const t = await this.token();
    const bot = new Bot(t.identity);
    await bot.join(t.serverUrl, t.token);
    this.bot = bot;
    this.identity = t.identity;
    this.joins++;
    bot.room.on(RoomEvent.Disconnected, () => {
      if (this.bot === bot && !this.stopped) void this.heal();
    });
    void this.talk(bot);
  }

  private async talk(bot: Bot): Promise<void> {
    while (this.bot === bot && !this.stopped) {
      await bot.say(this.speech);
      await bot.drained();
      await sleep(300);
    }
  }

  private async heal(): Promise<void> {
    if (this.healing) return;
    this.healing = true;
    for (let attempt = 0; !this.stopped; attempt++) {
      await sleep(attempt === 0 ? 0 : Math.min(5000, 1000 * 2 ** (attempt - 1)));
      const old = this.bot;
      this.bot = null;
      await old?.leave().catch(() => undefined);
      try {
        await this.join();
        break;
      } catch {
        // LiveKit not ready for us yet
      }
    }
    this.healing = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.bot?.leave().catch(() => undefined);
  }
}

// ── the suite ────────────────────────────────────────────────────────────────
interface Node {
  name: string;
  http: number;
  tcp: number;
  udp: number;
  id: string;
  child: ChildProcess;
}

const results: { name: string; ok: boolean; detail: string }[] = [];
async function check(name: string, fn: () => Promise<string>): Promise<boolean> {
  const t0 = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail });
    log(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ""}`);
    return true;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    results.push({ name, ok: false, detail });
    warn(`✗ ${name}: ${detail}`);
    return false;
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const livekitBin = process.env.CC_LIVEKIT_BIN!;
  mkdirSync(LOGS, { recursive: true });
  mkdirSync(RUN, { recursive: true });
  const keys = resolveKeys();
  const adminPassword = `cc-cluster-${randomBytes(9).toString("base64url")}`;

  // Redis: memory only.
  const redisPort = await freeTcpPort();
  const redisBin = which("redis-server");
  if (!redisBin) throw new Error("redis-server is not on PATH");
  children.push(
    spawnService("redis", redisBin, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      env: process.env,
      logFile: join(LOGS, "redis.log"),
      quiet: true,
    }),
  );
  await until(async () => (await redis(redisPort, "PING")) === "PONG", "redis", 10_000);
  log(`redis on :${redisPort}`);

  // Two LiveKit nodes, behind a balancer that follows the live ones. The balancer binds
  // port 0 first, so that the app can be started on its URL before the nodes exist.
  const nodes: Node[] = [];
  const alive = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  const lb = await balancer(() => alive().map((n) => n.http));
  cleanups.push(() => lb.close());
  const lbUrl = `ws://127.0.0.1:${lb.port}`;

  const serviceEnv = {
    ...process.env,
    LIVEKIT_URL: lbUrl,
    LIVEKIT_PUBLIC_URL: lbUrl,
    LIVEKIT_API_KEY: keys.key,
    LIVEKIT_API_SECRET: keys.secret,
    ADMIN_PASSWORD: adminPassword,
    NEXT_TELEMETRY_DISABLED: "1",
    CC_EMBEDDED: "1",
    DIRECTOR_RECONCILE_MS: "500",
  };
  // The app comes before the nodes, whose webhook URL names its port. A port picked
  // free can be taken before `next start` binds it (a CI run once lost it to an
  // outgoing connection's ephemeral port, and waited 60 s on a dead app): so wait on
  // the process too, and start it again on another free port if it exits.
  const nextBin = join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const appLog = join(LOGS, "app.log");
  const startApp = async (): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      const port = await freeTcpPort();
      const app = spawnService("app", process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
        env: { ...serviceEnv, PORT: String(port) },
        logFile: appLog,
        quiet: true,
      });
      children.push(app);
      try {
        // Any HTTP answer will do: /status needs the nodes, which start next.
        await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).status > 0, { timeoutMs: 60_000, what: "the app", child: app });
        return port;
      } catch (err) {
        await stopService(app, 1000);
        children.splice(children.indexOf(app), 1);
        const last = readFileSync(appLog, "utf8").trim().split("\n").slice(-3).join(" | ");
        if (attempt >= 3) throw new Error(`${err instanceof Error ? err.message : String(err)}; app log: ${last}`);
        warn(`the app did not start on :${port} (${last}); another free port`);
      }
    }
  };
  const appPort = await startApp();
  const appUrl = `http://127.0.0.1:${appPort}`;
  // A free port can be taken between picking it and LiveKit binding it (other work on
  // this machine): then try again with new ports.
  const spawnNode = async (name: string): Promise<Node> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await spawnNodeOnce(name);
      } catch (err) {
        if (attempt >= 3) throw err;
        warn(`livekit node ${name} did not start (${err instanceof Error ? err.message : String(err)}); new ports`);
      }
    }
  };
  const spawnNodeOnce = async (name: string): Promise<Node> => {
    const ports = { http: await freeTcpPort(), tcp: await freeTcpPort(), udp: await freeUdpPort() };
    const YAML = await import("yaml");
    const cfg = YAML.parse(await livekitConfig({ ports, keys, webhookUrl: `${appUrl}/api/webhooks/livekit`, bind: ["127.0.0.1"] }));
    cfg.redis = { address: `127.0.0.1:${redisPort}` };
    const path = join(RUN, `cluster-${name}.yaml`);
    writeFileSync(path, YAML.stringify(cfg));
    const logFile = join(LOGS, `livekit-${name}.log`);
    writeFileSync(logFile, "");
    const child = spawnService(`livekit-${name}`, livekitBin, ["--config", path, "--node-ip", "127.0.0.1"], {
      env: { ...process.env, LIVEKIT_KEYS: `${keys.key}: ${keys.secret}` },
      logFile,
      quiet: true,
    });
    children.push(child);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const why =
        child.exitCode !== null
          ? `exited with code ${child.exitCode}: ${readFileSync(logFile, "utf8").trim().split("\n").pop()}`
          : Date.now() > deadline
            ? "not ready within 30 s"
            : null;
      if (why) {
        children.splice(children.indexOf(child), 1);
        await stopService(child, 1000);
        throw new Error(why);
      }
      if (await fetch(`http://127.0.0.1:${ports.http}/`).then((r) => r.ok, () => false)) break;
      await sleep(100);
    }
    // Its node ID, as it registered in Redis: the one of the nodes not seen before.
    const id = await until(
      async () => {
        const ids = ((await redis(redisPort, "HKEYS", "nodes")) as string[]) ?? [];
        return ids.find((x) => !nodes.some((n) => n.id === x)) ?? null;
      },
      `node ${name} in redis`,
      10_000,
    );
    log(`livekit node ${name} ${id} on :${ports.http} (tcp ${ports.tcp}, udp ${ports.udp})`);
    return { name, ...ports, id, child };
  };
  nodes.push(await spawnNode("a"));
  nodes.push(await spawnNode("b"));
  log(`balancer on :${lb.port} → nodes ${nodes.map((n) => n.http).join(", ")}`);


  const directors: { port: number; child: ChildProcess }[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freeTcpPort();
    const child = startDirector({
      env: serviceEnv,
      ports: { app: appPort, http: 0, tcp: 0, udp: 0, director: port },
      logDir: join(LOGS, `director-${i + 1}`),
      quiet: true,
    });
    children.push(child);
    directors.push({ port, child });
  }
  await until(async () => (await fetch(`${appUrl}/status`)).status === 200, "the app", 60_000);
  for (const d of directors) await waitFor(async () => (await fetch(`http://127.0.0.1:${d.port}/`)).ok, { timeoutMs: 60_000, what: "a director", child: d.child });
  log(`app on :${appPort}, directors on :${directors.map((d) => d.port).join(", :")} (set-up ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  const api = (node?: Node) => new RoomServiceClient(node ? `http://127.0.0.1:${node.http}` : `http://127.0.0.1:${lb.port}`, keys.key, keys.secret);
  const nodeOf = async (room: string) => (await redis(redisPort, "HGET", "room_node_map", room)) as string | null;
  /** The room's running directors (fresh heartbeat). */
  const liveDirectors = async (room: string) =>
    (await api().listParticipants(room))
      .filter((p) => isDirectorIdentity(p.identity) && Date.now() - Number(p.attributes[ATTR_HEARTBEAT] ?? 0) < 3000)
      .map((p) => p.identity);
  const programOf = async (room: string) => parseProgram((await api().listRooms([room]))[0]?.metadata ?? "")?.program ?? null;

  // 1. One token from the app, accepted by each node.
  await check("a token minted by the app works against either node", async () => {
    const res = await fetch(`${appUrl}/api/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Token check", channel: 20 }),
    });
    if (!res.ok) throw new Error(`/api/token ${res.status}`);
    const { token } = (await res.json()) as { token: string };
    const seen: string[] = [];
    for (const n of nodes) {
      const room = new Room();
      await room.connect(`ws://127.0.0.1:${n.http}`, token, { autoSubscribe: false, dynacast: false });
      seen.push(`${n.name}: ${room.name}`);
      await room.disconnect();
    }
    return seen.join(", ");
  });

  // 2. Channels placed on each node, a speaking bot in each.
  const speech = readWav(join(ROOT, "tests", "fixtures", "audio", "speech-alice.wav")).samples;
  const plan = [
    { channel: 11, node: nodes[0]! },
    { channel: 12, node: nodes[0]! },
    { channel: 13, node: nodes[1]! },
    { channel: 14, node: nodes[1]! },
  ];
  const bots: HealingBot[] = [];
  cleanups.push(() => Promise.all(bots.map((b) => b.stop())).then(() => undefined));
  const placed = await check("channels are placed on both nodes", async () => {
    // Placed by node ID (LiveKit's own placement would pick either at random), with the
    // director's dispatch the app's tokens carry for rooms they create.
    for (const p of plan) {
      await api(p.node).createRoom({
        name: `channel-${p.channel}`,
        nodeId: p.node.id,
        emptyTimeout: 60,
        agents: [new RoomAgentDispatch({ agentName: "director" })],
      });
    }
    for (const p of plan) {
      const bot = new HealingBot(appUrl, `Speaker ${p.channel}`, p.channel, speech);
      await bot.join();
      bots.push(bot);
    }
    const where: string[] = [];
    for (const p of plan) {
      const id = await nodeOf(`channel-${p.channel}`);
      if (id !== p.node.id) throw new Error(`channel-${p.channel} is on ${id}, not on node ${p.node.name}`);
      where.push(`${p.channel}→${p.node.name}`);
    }
    return where.join(" ");
  });

  const directedOnce = async (channels: number[], timeoutMs: number) => {
    const t = Date.now();
    const who: string[] = [];
    for (const ch of channels) {
      const room = `channel-${ch}`;
      const bot = bots.find((b) => b.channel === ch)!;
      let seen = "";
      await until(
        async () => {
          const ds = await liveDirectors(room);
          const program = await programOf(room);
          seen = `${ds.length} running director(s), program ${program ?? "none"}, speaker ${bot.identity}`;
          return ds.length === 1 && program === bot.identity;
        },
        `one running director in ${room} with its speaker on program`,
        Math.max(1000, timeoutMs - (Date.now() - t)),
      ).catch((err: Error) => {
        throw new Error(`${err.message}; last seen: ${seen}`);
      });
      who.push(`${ch}:${(await liveDirectors(room))[0]}`);
    }
    return { who, ms: Date.now() - t };
  };

  if (placed) {
    await check("each channel, on either node, is directed by exactly one director", async () => {
      const { who } = await directedOnce(
        plan.map((p) => p.channel),
        45_000,
      );
      // Stays exactly one: a second look a few seconds later.
      await sleep(3000);
      for (const p of plan) {
        const n = (await liveDirectors(`channel-${p.channel}`)).length;
        if (n !== 1) throw new Error(`channel-${p.channel} has ${n} running directors`);
      }
      return who.join(", ");
    });

    await check("/status and /friends list every channel of both nodes", async () => {
      const status = (await (await fetch(`${appUrl}/status`)).json()) as { channels: { channel: number; participants: { identity: string }[] }[] };
      const friendsRes = await fetch(`${appUrl}/api/admin/friends`, { headers: { authorization: `Bearer ${adminPassword}` } });
      if (!friendsRes.ok) throw new Error(`/api/admin/friends ${friendsRes.status}`);
      const friends = (await friendsRes.json()) as { channels: Record<string, { channel: number; participants: { identity: string }[] }> };
      for (const p of plan) {
        const bot = bots.find((b) => b.channel === p.channel)!;
        const s = status.channels.find((c) => c.channel === p.channel);
        const f = Object.values(friends.channels).find((c) => c.channel === p.channel);
        if (!s?.participants.some((x) => x.identity === bot.identity)) throw new Error(`/status lacks channel ${p.channel} or its speaker`);
        if (!f?.participants.some((x) => x.identity === bot.identity)) throw new Error(`/friends lacks channel ${p.channel} or its speaker`);
      }
      return `${plan.length} channels in both`;
    });

    // 3. A node dies: its participants rejoin through the other one.
    const dead = nodes[0]!;
    const onDead = plan.filter((p) => p.node === dead).map((p) => p.channel);
    const survivors = plan.filter((p) => p.node !== dead).map((p) => p.channel);
    const joinsBefore = new Map(bots.map((b) => [b.channel, b.joins]));
    const identities = new Map(bots.map((b) => [b.channel, b.identity]));
    process.kill(-dead.child.pid!, "SIGKILL");
    const killedAt = Date.now();
    log(`killed livekit node ${dead.name} (SIGKILL)`);
    await check(`after node ${dead.name} is killed its participants rejoin through node b within ${REJOIN_MS / 1000} s and are directed again`, async () => {
      const back: string[] = [];
      for (const ch of onDead) {
        const bot = bots.find((b) => b.channel === ch)!;
        const room = `channel-${ch}`;
        // Back either way: the SDK's own reconnect, or the bot's rejoin with a fresh token.
        await until(
          async () =>
            (await nodeOf(room)) === nodes[1]!.id && (await api().listParticipants(room)).some((p) => p.identity === identities.get(ch)),
          `${room}'s speaker back, on node b`,
          Math.max(1000, REJOIN_MS - (Date.now() - killedAt)),
        );
        back.push(`${ch} at ${((Date.now() - killedAt) / 1000).toFixed(1)} s (${bot.joins > joinsBefore.get(ch)! ? "rejoined" : "SDK reconnect"})`);
        if (bot.identity !== identities.get(ch)) throw new Error(`${room}'s speaker came back as ${bot.identity}`);
      }
      await directedOnce(onDead, Math.max(1000, REJOIN_MS - (Date.now() - killedAt)));
      return `back: ${back.join(", ")}; directed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`;
    });
    // A participant of a node-b room whose signalling went through node a (the balancer
    // spreads connections) reconnects too, so these are checked against the same bound.
    await check(`node b's own channels are directed within ${REJOIN_MS / 1000} s of the kill`, async () => {
      await directedOnce(survivors, Math.max(1000, REJOIN_MS - (Date.now() - killedAt)));
      return `${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`;
    });

    // 4. A director dies: the other takes its rooms.
    const byDirector = new Map<string, number[]>();
    for (const p of plan) {
      const d = (await liveDirectors(`channel-${p.channel}`))[0];
      if (d) byDirector.set(d, [...(byDirector.get(d) ?? []), p.channel]);
    }
    await check(`after one director is killed its rooms are taken over within ${TAKEOVER_MS / 1000} s`, async () => {
      // Which process is which identity: kill one, see whose rooms lose their director.
      const victim = directors[0]!;
      const before = new Map<number, string>();
      for (const p of plan) before.set(p.channel, (await liveDirectors(`channel-${p.channel}`))[0] ?? "");
      process.kill(-victim.child.pid!, "SIGKILL");
      const at = Date.now();
      // Rooms whose director's heartbeat stops were the victim's.
      await sleep(3500);
      const orphaned: number[] = [];
      for (const p of plan) if (!(await liveDirectors(`channel-${p.channel}`)).includes(before.get(p.channel)!)) orphaned.push(p.channel);
      const t = Date.now();
      await directedOnce(
        plan.map((p) => p.channel),
        TAKEOVER_MS - (t - at),
      );
      for (const ch of orphaned) {
        const now = (await liveDirectors(`channel-${ch}`))[0];
        if (now === before.get(ch)) throw new Error(`channel-${ch} still has the killed director`);
      }
      return `${orphaned.length} room(s) of the killed director (${[...byDirector.entries()].map(([d, chs]) => `${d.slice(0, 18)}…: ${chs.join(",")}`).join("; ")}) directed again ${((Date.now() - at) / 1000).toFixed(1)} s after the kill`;
    });
  }

  const failed = results.filter((r) => !r.ok).length;
  const passed = results.length - failed;
  log(`cluster suite: ${((Date.now() - t0) / 1000).toFixed(1)} s; logs in ${LOGS}`);
  await shutdown();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

/** Stop everything, each step bounded: a hung bot or socket must not keep the suite alive. */
async function shutdown(): Promise<void> {
  const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), sleep(5000)]);
  for (const c of cleanups.splice(0).reverse()) await bounded(Promise.resolve().then(c));
  await bounded(Promise.all(children.splice(0).reverse().map((c) => stopService(c, 3000))));
}

process.on("SIGINT", () => void shutdown().then(() => process.exit(130)));
process.on("SIGTERM", () => void shutdown().then(() => process.exit(143)));

main().catch(async (err: unknown) => {
  warn(err instanceof Error ? (err.stack ?? err.message) : String(err));
  await shutdown();
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exit(1);
});
