import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateScenario } from "@/lab/generate";
import { impair } from "@/lab/impair";
import { rngFor } from "@/lab/rng";
import { parseScenario } from "@/lab/scenario";
import { observations } from "@/lab/trace";

const TINY = parseScenario(`
name: tiny
seed: 7
participants:
  - { id: a, voice: en-us, noise: { type: pink, dbfs: -60 } }
  - { id: b, voice: en-gb+m3, noise: { type: brown, dbfs: -55 } }
leak_db: { a: { b: -12 } }
network: { jitter_ms: 20, loss: 0.05, dtx: true }
events:
  - { t: 0.2, who: a, say: "Yes." }
  - { gap_ms: 200, who: b, say: "No." }
  - { t: 0.4, who: b, sfx: click }
`);

describe("generator", () => {
  const dirs = [mkdtempSync(join(tmpdir(), "lab-gen-")), mkdtempSync(join(tmpdir(), "lab-gen-"))];
  let firstHash = "";
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("is deterministic: the same seed gives the same content hash", async () => {
    const [one, two] = await Promise.all(dirs.map((cacheDir) => generateScenario(TINY, { cacheDir, noCache: true })));
    expect(one?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(one?.hash).toBe(two?.hash);
    firstHash = one?.hash ?? "";
    expect(existsSync(join(one?.dir ?? "", "a.wav"))).toBe(true);
    // Ground truth: b's turn starts 200 ms after a's speech ends; the floor follows.
    const [ua, ub] = one?.truth.utterances ?? [];
    expect((ub?.onset ?? 0) - (ua?.end ?? 0)).toBe(200);
    expect(one?.truth.floor.map((f) => f.who)).toEqual([null, "a", "b"]);
    // One level per 20 ms per participant.
    const frames = one?.trace.levels.a?.length ?? 0;
    expect(frames).toBe(Math.floor((one?.truth.durationMs ?? 0) / 20));
    expect(observations(one!.trace).filter((o) => o.type === "levels")).toHaveLength(frames);
  }, 20_000);

  it("a different seed changes the hash", async () => {
    const other = await generateScenario({ ...TINY, seed: 8 }, { cacheDir: dirs[0], noCache: true });
    expect(firstHash).not.toBe("");
    expect(other.hash).not.toBe(firstHash);
  }, 20_000);
});

describe("impairments", () => {
  const clean = Array.from({ length: 200 }, (_, i) => (i >= 50 && i < 100 ? 20 : 65));
  it("DTX sends voice, a hangover, then one frame per 400 ms", () => {
    const out = impair(clean, { jitter_ms: 0, loss: 0, dtx: true }, rngFor(1, "x"));
    const sent = out.map((v, i) => (v === null ? -1 : i)).filter((i) => i >= 0);
    expect(sent.filter((i) => i >= 50 && i < 110)).toHaveLength(60); // voice + 10-frame hangover
    const after = sent.filter((i) => i >= 110);
    for (let k = 1; k < after.length; k++) expect((after[k] ?? 0) - (after[k - 1] ?? 0)).toBe(20);
  });
  it("loss drops about the asked share and jitter never invents packets", () => {
    const lossy = impair(clean, { jitter_ms: 0, loss: 0.2, dtx: false }, rngFor(2, "x"));
    const lost = lossy.filter((v) => v === null).length;
    expect(lost).toBeGreaterThan(20);
    expect(lost).toBeLessThan(60);
    const jittery = impair(clean, { jitter_ms: 30, loss: 0, dtx: false }, rngFor(3, "x"));
    expect(jittery.filter((v) => v !== null).length).toBeLessThanOrEqual(clean.length);
    expect(jittery.filter((v) => v === 20).length).toBeGreaterThan(30);
  });
});
