/**
 * `npm run bench:join`: what a participant waits for. Starts the stack, then in
 * Chromium with a fake camera/mic measures (a) the JavaScript `/` loads before it is
 * usable (bytes over the wire and decoded), and (b) the time from clicking Join to the
 * local camera being published, over N runs (median, min, max). Not part of npm test.
 *
 *   npm run bench:join -- [--runs 5]
 */
import { chromium } from "@playwright/test";
import { log } from "../lib/bootstrap.mjs";
import { arg, benchStack } from "./common";
import { CHROMIUM_ARGS } from "../../tests/helpers/chromium";

const RUNS = Number(arg("runs", "5"));

async function main() {
  const { stack, chromiumPath } = await benchStack({ chromium: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_ARGS,
  });
  try {
    // (a) first-load JS of "/": every script response until the form is interactive.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    const scripts = new Map<string, { url: string; encoded: number }>();
    cdp.on("Network.responseReceived", (e) => {
      if (e.type === "Script") scripts.set(e.requestId, { url: e.response.url, encoded: 0 });
    });
    cdp.on("Network.loadingFinished", (e) => {
      const s = scripts.get(e.requestId);
      if (s) s.encoded = e.encodedDataLength;
    });
    let decoded = 0;
    page.on("response", async (r) => {
      if (r.request().resourceType() === "script") decoded += (await r.body().catch(() => Buffer.alloc(0))).length;
    });
    await page.goto(`${stack.appUrl}/`, { waitUntil: "networkidle" });
    await page.getByTestId("join-name").waitFor();
    const encoded = [...scripts.values()].reduce((n, s) => n + s.encoded, 0);
    await ctx.close();

    // (b) Join → local camera published, fresh context each run.
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c = await browser.newContext({ permissions: ["camera", "microphone"] });
      const p = await c.newPage();
      await p.goto(`${stack.appUrl}/`);
      await p.getByTestId("join-name").fill(`Bench ${i}`);
      await p.getByTestId("join-channel").fill("19");
      const t0 = Date.now();
      await p.getByTestId("join-submit").click();
      await p.getByTestId("local-video").and(p.locator('[data-published="true"]')).waitFor({ timeout: 30000 });
      times.push(Date.now() - t0);
      await c.close();
      log(`run ${i + 1}: ${times.at(-1)} ms`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log("");
    console.log(`first-load JS of /: ${(encoded / 1024).toFixed(0)} KiB over the wire, ${(decoded / 1024).toFixed(0)} KiB decoded, ${scripts.size} scripts`);
    console.log(`join → local video published, ${RUNS} runs: median ${sorted[Math.floor(RUNS / 2)]} ms (min ${sorted[0]}, max ${sorted.at(-1)}) — ${times.join(", ")}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
  process.exit(0);
}

// Ctrl-C or a timeout's SIGTERM: exit, so the stack's exit hook stops its processes.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

void main();
