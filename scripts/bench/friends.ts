/**
 * `npm run bench:friends`: /friends at 20 channels and 100 participants.
 *
 * 1. Update size: a synthetic 60 s of a busy event (one talker per channel, turns
 *    every few seconds, a join or leave every 5 s) through the same diff the server
 *    streams (lib/friends/model.ts), plus the worst case where all 100 levels change
 *    on every tick.
 * 2. Render time: the real /friends page in Chromium, signed in, fed the same stream at
 *    4 Hz through a stand-in EventSource; it reads the page's own User Timing measures
 *    (cc:friends:render = React render + commit including the canvases,
 *    cc:friends:latency = event arrival to commit) and the layout shift score.
 *
 * Part 2 needs a running app: CC_APP_URL and CC_ADMIN_PASSWORD (as `npm test` or
 * `npm start` give them). Without them only part 1 runs.
 */
import { chromium } from "@playwright/test";
import { diffState, emptyState, type FriendsEvent, type FriendsState } from "@/lib/friends/model";

const CHANNELS = 20;
const PER_CHANNEL = 5;
const TICK_MS = 250;
const SECONDS = Number(process.argv.find((a) => a.startsWith("--seconds="))?.slice(10) ?? 30);

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const NAMES = ["Ada", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lou", "Max", "Ned", "Oda"];

function world(t0: number): FriendsState {
  const s = emptyState(t0);
  for (let c = 1; c <= CHANNELS; c++) {
    const room = `channel-${c}`;
    s.channels[room] = {
      channel: c,
      room,
      director: true,
      program: { identity: `p_${c}_0`, name: `${NAMES[c % NAMES.length]} ${c}-0`, since: t0, reason: "speech", seq: 1, pinned: null, shot: "speaker" },
      participants: Array.from({ length: PER_CHANNEL }, (_, i) => ({
        identity: `p_${c}_${i}`,
        name: `${NAMES[(c + i) % NAMES.length]} ${c}-${i} with a fairly long display name`,
        mic: "live" as const,
        micSid: `TR_AMic${c}x${i}`,
        camera: "live" as const,
        quality: "excellent" as const,
        joinedAt: t0 - 60_000 + i * 1000,
      })),
      viewers: [],
      roles: {},
      shotLengthMs: null,
      defaultShotLengthMs: 700,
    };
    s.levels[room] = Object.fromEntries(s.channels[room].participants.map((p) => [p.identity, [127, 0] as [number, number]]));
    s.decisions[room] = [{ at: t0 - 30_000, program: `p_${c}_0`, reason: "speech", seq: 1 }];
    s.activity[room] = [];
    s.trend[room] = { at: t0, levels: Object.fromEntries(s.channels[room].participants.map((p) => [p.identity, Buffer.alloc(240, 100).toString("base64")])) };
  }
  return s;
}

/** The next tick: talkers change turns, levels move, now and then someone joins or leaves. */
function step(prev: FriendsState, t: number, tick: number, rand: () => number, worst: boolean): FriendsState {
  const next: FriendsState = structuredClone(prev);
  next.at = t;
  for (const ch of Object.values(next.channels)) {
    const room = ch.room;
    // A new turn every 4 s, channels out of step with each other.
    const talker = Math.floor((tick + ch.channel * 5) / 16) % ch.participants.length;
    for (const [i, p] of ch.participants.entries()) {
      const speaking = i === talker;
      const level = worst ? Math.floor(20 + rand() * 100) : speaking ? Math.floor(20 + rand() * 25) : 127;
      next.levels[room]![p.identity] = [level, speaking ? 1 : 0];
    }
    const holder = ch.participants[talker]!;
    if (ch.program?.identity !== holder.identity) {
      const seq = (ch.program?.seq ?? 0) + 1;
      ch.program = { identity: holder.identity, name: holder.name, since: t, reason: "speech", seq, pinned: null, shot: "speaker" };
      next.decisions[room] = [...(next.decisions[room] ?? []), { at: t, program: holder.identity, reason: "speech", seq }].slice(-100);
    }
  }
  if (tick % 20 === 0) {
    // A join or a leave somewhere every 5 s.
    const ch = next.channels[`channel-${1 + (tick / 20) % CHANNELS}`]!;
    if (ch.participants.length > PER_CHANNEL) {
      const gone = ch.participants.pop()!;
      delete next.levels[ch.room]![gone.identity];
      next.activity[ch.room]!.push({ at: t, kind: "participant_left", identity: gone.identity, name: gone.name, detail: null });
    } else {
      const id = `p_${ch.channel}_x${tick}`;
      ch.participants.push({ identity: id, name: `Late ${tick}`, mic: "live", micSid: `TR_${id}`, camera: "live", quality: "good", joinedAt: t });
      next.levels[ch.room]![id] = [127, 0];
      next.activity[ch.room]!.push({ at: t, kind: "participant_joined", identity: id, name: `Late ${tick}`, detail: null });
    }
  }
  return next;
}

function stream(worst: boolean): { events: FriendsEvent[]; sizes: number[]; snapshotBytes: number } {
  const rand = rng(42);
  const t0 = Date.now();
  let s = world(t0);
  const snapshot: FriendsEvent = { type: "snapshot", ...s };
  const events: FriendsEvent[] = [snapshot];
  const sizes: number[] = [];
  for (let tick = 1; tick <= (SECONDS * 1000) / TICK_MS; tick++) {
    const next = step(s, t0 + tick * TICK_MS, tick, rand, worst);
    const patch = diffState(s, next);
    s = next;
    if (patch) {
      events.push(patch);
      sizes.push(JSON.stringify(patch).length);
    }
  }
  return { events, sizes, snapshotBytes: JSON.stringify(snapshot).length };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

function summary(label: string, xs: number[], unit: string, digits = 0): string {
  const f = (n: number) => n.toFixed(digits);
  return `${label}: n=${xs.length} p50 ${f(pct(xs, 50))} ${unit}, p95 ${f(pct(xs, 95))} ${unit}, max ${f(Math.max(...xs))} ${unit}, mean ${f(xs.reduce((a, b) => a + b, 0) / xs.length)} ${unit}`;
}

async function renderBench(events: FriendsEvent[], label: string) {
  const url = process.env.CC_APP_URL;
  const password = process.env.CC_ADMIN_PASSWORD;
  if (!url || !password) return;
  const browser = await chromium.launch({ executablePath: process.env.CC_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const login = await page.request.post(`${url}/api/admin/login`, { data: { password }, headers: { origin: url } });
    if (!login.ok()) throw new Error(`sign-in answered ${login.status()}`);
    // A stand-in EventSource the bench drives; the page code is unchanged. (A string,
    // not a function: tsx would add helpers to a function that the page lacks.)
    await page.addInitScript(`
      class BenchEventSource extends EventTarget {
        constructor(url) { super(); this.url = url; this.readyState = 1; this.onerror = null; window.__benchES = this; }
        close() { this.readyState = 2; }
      }
      BenchEventSource.CLOSED = 2;
      window.EventSource = BenchEventSource;
      window.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
      }).observe({ type: "layout-shift", buffered: true });
    `);
    await page.goto(`${url}/friends`);
    await page.waitForFunction("'__benchES' in window").catch(async (err: unknown) => {
      throw new Error(`the dashboard did not open its stream (at ${page.url()}): ${String(err)}`);
    });
    const send = (ev: FriendsEvent) =>
      page.evaluate(`(() => { const data = ${JSON.stringify(JSON.stringify(ev))}; window.__benchES.dispatchEvent(new MessageEvent(${JSON.stringify(ev.type)}, { data })); })()`);
    await send(events[0]!);
    await page.waitForSelector('[data-testid="friends-channel"]');
    await page.evaluate("performance.clearMeasures(); window.__cls = 0;");
    const started = Date.now();
    for (let i = 1; i < events.length; i++) {
      await send(events[i]!);
      const wait = started + i * TICK_MS - Date.now();
      if (wait > 0) await page.waitForTimeout(wait);
    }
    await page.waitForTimeout(500);
    const shot = process.argv.find((a) => a.startsWith("--screenshot="))?.slice(13);
    if (shot) await page.screenshot({ path: shot.replace(/(\.png)?$/, `-${label.replace(/\W+/g, "-")}.png`) });
    const r = (await page.evaluate(`({
      render: performance.getEntriesByName("cc:friends:render").map((e) => e.duration),
      latency: performance.getEntriesByName("cc:friends:latency").map((e) => e.duration),
      cls: window.__cls,
      rows: document.querySelectorAll('[data-testid="friends-participant"]').length,
      channels: document.querySelectorAll('[data-testid="friends-channel"]').length,
    })`)) as { render: number[]; latency: number[]; cls: number; rows: number; channels: number };
    console.log(`\nrender (${label}; ${r.channels} channels, ${r.rows} rows, 1920×1080, Chromium):`);
    console.log(`  ${summary("cc:friends:render (React render+commit incl. canvases)", r.render, "ms", 1)}`);
    console.log(`  ${summary("cc:friends:latency (event -> committed)", r.latency, "ms", 1)}`);
    console.log(`  layout shift (CLS) during the run: ${r.cls.toFixed(4)}`);
  } finally {
    await browser.close();
  }
}

async function main() {
  console.log(`/friends bench: ${CHANNELS} channels × ${PER_CHANNEL} participants, ${SECONDS} s at ${1000 / TICK_MS} Hz`);
  const typical = stream(false);
  const worst = stream(true);
  console.log(`snapshot (sent once per connection): ${typical.snapshotBytes} B`);
  console.log(summary("patch, typical (one talker per channel)", typical.sizes, "B"));
  console.log(summary("patch, worst case (all 100 levels change every tick)", worst.sizes, "B"));
  console.log(
    `bandwidth per dashboard: typical ${((typical.sizes.reduce((a, b) => a + b, 0) / SECONDS) / 1024).toFixed(1)} KiB/s, worst ${((worst.sizes.reduce((a, b) => a + b, 0) / SECONDS) / 1024).toFixed(1)} KiB/s`,
  );
  await renderBench(typical.events, "typical");
  await renderBench(worst.events, "worst case");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
