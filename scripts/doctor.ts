/**
 * `npm run doctor -- --url https://app.example.com`: check a deployment from a laptop,
 * end to end, the way a participant uses it. One ✓ or ✗ line per check, with a fix
 * under each ✗; exit code 0 only when every check passed.
 *
 *   1. /status answers, and LiveKit is reachable from the app
 *   2. a token can be minted (POST /api/token, as the join page does)
 *   3. a bot connects to the LiveKit URL the app hands out, and publishes a camera and a mic
 *   4. the director joins and puts the bot on program when it speaks
 *   5. a webhook round trip: LiveKit posts participant_joined to the app, which verifies
 *      it and stamps the bot's `cc.webhook` attribute through the LiveKit API; the bot
 *      sees its own attribute change. That is observable from here, and it needs the
 *      webhook URL, its signature (same API key and secret) and the app's API access
 *      all to be right.
 *
 * The bot joins an empty channel (the highest-numbered one with nobody in it, or
 * --channel N) as "Doctor", speaks one sentence, and leaves.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseProgram } from "@/lib/room-state";
import { MAX_CHANNEL, MIN_CHANNEL, type TokenResponse } from "@/lib/schemas";
import type { Status } from "@/lib/status";
import { ATTR_WEBHOOK_SEEN, parseWebhookSeen } from "@/lib/room-state";
import { Bot } from "@/tests/helpers/bot";
import { readWav } from "@/tests/helpers/wav";

const ROOT = join(__dirname, "..");
const BOT_NAME = "Doctor";

interface Result {
  ok: boolean;
  line: string;
  fix?: string;
}

const results: Result[] = [];
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);

function report(r: Result): Result {
  results.push(r);
  console.log(`${r.ok ? paint("32", "✓") : paint("31", "✗")} ${r.line}`);
  if (r.fix) r.fix.split("\n").forEach((l, i) => console.log(`    ${i === 0 ? paint("33", "fix:") : "    "} ${l}`));
  return r;
}

function skip(line: string, because: string): void {
  report({ ok: false, line: `${line} — not checked: ${because}` });
}

function errText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, Math.round(performance.now() - t0)];
}

async function poll<T>(fn: () => T | null | undefined | Promise<T | null | undefined>, timeoutMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function getStatus(base: string): Promise<Status> {
  const res = await fetch(`${base}/status`, { signal: AbortSignal.timeout(8000), redirect: "follow" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  if (!(res.headers.get("content-type") ?? "").includes("application/json")) throw new Error("the answer is not JSON");
  return (await res.json()) as Status;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      channel: { type: "string" },
      /** the deployment's JOIN_CODE, when it has one */
      code: { type: "string" },
      timeout: { type: "string", default: "15000" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.url) {
    console.log("usage: npm run doctor -- --url https://app.example.com [--channel N] [--code JOIN_CODE] [--timeout ms]");
    return values.help ? 0 : 2;
  }
  let base: string;
  try {
    const u = new URL(values.url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http(s)");
    base = u.origin;
  } catch {
    console.log(`--url must be the app's http(s) URL, e.g. https://app.example.com (got ${values.url})`);
    return 2;
  }
  const timeoutMs = Math.max(2000, Number(values.timeout) || 15000);
  console.log(`Conference Camera doctor — ${base}\n`);

  // 1. /status and LiveKit behind it.
  let status: Status | null = null;
  try {
    const [s, ms] = await timed(() => getStatus(base));
    status = s;
    if (s.livekit.reachable) {
      report({ ok: true, line: `/status answers (${ms} ms) and LiveKit is reachable from the app` });
    } else {
      report({
        ok: false,
        line: `/status answers (${ms} ms) but the app cannot reach LiveKit at ${s.livekit.url}`,
        fix:
          "set LIVEKIT_URL in the app's environment (Vercel › Settings › Environment Variables) to LiveKit's public\n" +
          "wss:// URL, redeploy, and check that livekit-server runs and its TLS proxy answers (curl https://<livekit-host>).",
      });
    }
  } catch (err) {
    report({
      ok: false,
      line: `/status did not answer at ${base}/status: ${errText(err)}`,
      fix:
        "check the URL, that DNS points at the deployment (dig +short <host>) and that the deployment is live\n" +
        "(Vercel › Deployments, or `docker compose ps` for the self-hosted app).",
    });
  }
  if (!status) {
    for (const l of ["a token can be minted", "a bot can connect and publish", "the director picks the bot", "webhook round trip"]) {
      skip(l, "/status did not answer");
    }
    return summary();
  }

  const channel = values.channel ? Number(values.channel) : emptyChannel(status);
  if (!Number.isInteger(channel) || channel < MIN_CHANNEL || channel > MAX_CHANNEL) {
    console.log(`--channel must be ${MIN_CHANNEL}–${MAX_CHANNEL}`);
    return 2;
  }

  // 2. A token, exactly as the join page asks for one.
  let token: TokenResponse | null = null;
  try {
    const [res, ms] = await timed(() =>
      fetch(`${base}/api/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: BOT_NAME, channel, ...(values.code ? { code: values.code } : {}) }),
        signal: AbortSignal.timeout(8000),
      }),
    );
    const body = (await res.json().catch(() => null)) as (TokenResponse & { error?: string }) | null;
    if (!res.ok || !body?.token) throw new Error(`HTTP ${res.status}${body?.error ? `: ${body.error}` : ""}`);
    token = body;
    report({ ok: true, line: `a token can be minted (${ms} ms) for channel ${channel}; LiveKit for browsers: ${body.serverUrl}` });
  } catch (err) {
    report({
      ok: false,
      line: `POST /api/token failed: ${errText(err)}`,
      fix:
        "set LIVEKIT_API_KEY and LIVEKIT_API_SECRET (≥ 32 characters) in the app's environment — the same pair as\n" +
        "LIVEKIT_KEYS on the LiveKit VM — and redeploy. The app's logs name the setting that is wrong.",
    });
  }
  if (!token) {
    for (const l of ["a bot can connect and publish", "the director picks the bot", "webhook round trip"]) skip(l, "no token");
    return summary();
  }

  // 3. A bot connects where the app tells browsers to, and publishes.
  const bot = new Bot(token.identity);
  let joined = false;
  try {
    const [, ms] = await timed(() =>
      Promise.race([
        bot.join(token.serverUrl, token.token, { video: true }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs)),
      ]),
    );
    joined = true;
    report({ ok: true, line: `a bot connected to ${token.serverUrl} and published a camera and a microphone (${ms} ms)` });
  } catch (err) {
    report({
      ok: false,
      line: `a bot could not connect to ${token.serverUrl} and publish: ${errText(err)}`,
      fix:
        "signalling: LIVEKIT_PUBLIC_URL must be wss://<livekit-host> with a valid certificate (a TLS proxy on 443 → 7880).\n" +
        "media: open 7881/tcp and 7882/udp (or rtc.port_range_*) to the VM, and make sure livekit.yaml's rtc.use_external_ip\n" +
        "(or rtc.node_ip) gives the VM's public IP. Networks that block UDP need TURN (livekit.yaml › turn).",
    });
  }

  try {
    if (!joined) {
      skip("the director picks the bot", "the bot is not in the room");
      skip("webhook round trip", "the bot is not in the room");
      return summary();
    }
    await checkDirector(base, bot, channel, timeoutMs);
    await checkWebhook(bot, timeoutMs);
    return summary();
  } finally {
    await bot.leave().catch(() => undefined);
  }
}

/** The highest-numbered channel nobody is in, so the check disturbs no one. */
function emptyChannel(status: Status): number {
  const busy = new Set(status.channels.filter((c) => c.participants.length > 0).map((c) => c.channel));
  for (let n = MAX_CHANNEL; n >= MIN_CHANNEL; n--) if (!busy.has(n)) return n;
  return MAX_CHANNEL;
}

async function checkDirector(base: string, bot: Bot, channel: number, timeoutMs: number): Promise<void> {
  const directorIn = await poll(async () => {
    const s = await getStatus(base).catch(() => null);
    return s?.channels.find((c) => c.channel === channel)?.director ? true : null;
  }, timeoutMs);
  if (!directorIn) {
    report({
      ok: false,
      line: `the director did not join channel ${channel} within ${timeoutMs} ms`,
      fix:
        "start the director next to LiveKit (docker compose up -d director) and check its logs; it needs the same\n" +
        "LIVEKIT_URL/KEY/SECRET as the app, and DIRECTOR_AGENT_NAME must match the app's (default: director).",
    });
    return;
  }
  const program = () => parseProgram(bot.room.metadata)?.program ?? null;
  const onset = await bot.say(readWav(join(ROOT, "tests", "fixtures", "audio", "speech-alice.wav")).samples);
  const picked = await poll(() => (program() === bot.identity ? performance.now() : null), timeoutMs);
  if (picked !== null) {
    report({ ok: true, line: `the director put the bot on program ${Math.round(picked - onset)} ms after it started speaking` });
  } else {
    report({
      ok: false,
      line: `the director is in channel ${channel} but did not put the speaking bot on program within ${timeoutMs} ms (program: ${program() ?? "nobody"})`,
      fix:
        "the director hears no audio from the bot: it subscribes over WebRTC like everyone else, so the VM must reach\n" +
        "LiveKit's media ports too. Check `docker compose logs director` and /debug (levels of 127 mean silence).",
    });
  }
  await bot.drained();
}

async function checkWebhook(bot: Bot, timeoutMs: number): Promise<void> {
  const local = bot.room.localParticipant!;
  const seen = await poll(() => parseWebhookSeen(local.attributes[ATTR_WEBHOOK_SEEN]), timeoutMs);
  if (seen !== null) {
    report({
      ok: true,
      line: "webhook round trip: LiveKit posted participant_joined to the app, which verified it and stamped the bot",
    });
  } else {
    report({
      ok: false,
      line: `webhook round trip: no participant_joined webhook reached the app within ${timeoutMs} ms`,
      fix:
        "in the production livekit.yaml set webhook.urls to <app URL>/api/webhooks/livekit and webhook.api_key to the\n" +
        "app's LIVEKIT_API_KEY, then restart livekit-server. A 401 in the app's logs means the key or secret differ.",
    });
  }
}

function summary(): number {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  });
