/**
 * The sound families of issue 12 and `sfx_wav`: seeded and deterministic, varied across
 * seeds (several generators per family), long enough to be the free-floor noises of s13,
 * and a user's own recording parsed, located relative to its scenario and mixed in.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheKey, generateScenario } from "@/lab/generate";
import { rngFor } from "@/lab/rng";
import { NEW_SFX_KINDS, loadScenarioDir, parseScenario } from "@/lab/scenario";
import { sfx } from "@/lab/synth";
import { writeWav16 } from "@/lab/wav";

const hash = (x: Float32Array): string => createHash("sha256").update(Buffer.from(x.buffer, x.byteOffset, x.byteLength)).digest("hex");

describe("sound families", () => {
  it.each(NEW_SFX_KINDS)("%s: same seed, same waveform; other seeds, other waveforms; 250 ms or more; no clipping", (kind) => {
    const a = sfx(kind, rngFor(11, `sfx:${kind}`));
    const b = sfx(kind, rngFor(11, `sfx:${kind}`));
    expect(hash(a)).toBe(hash(b));
    const many = Array.from({ length: 5 }, (_, s) => sfx(kind, rngFor(100 + s, `sfx:${kind}`)));
    expect(new Set(many.map(hash)).size).toBe(5);
    for (const x of many) {
      expect(x.length).toBeGreaterThanOrEqual(0.25 * 48000);
      let peak = 0;
      for (const v of x) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeGreaterThan(0.01);
      expect(peak).toBeLessThan(1);
    }
  }, 20_000);
});

describe("sfx_wav", () => {
  const tmp = mkdtempSync(join(tmpdir(), "lab-sfxwav-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const yaml = (path: string): string => `
name: own-recording
seed: 1
participants:
  - { id: a, voice: en-us }
  - { id: b, voice: en-gb+m3 }
events:
  - { t: 0.2, who: a, say: "Yes." }
  - { t: 1.5, who: b, sfx_wav: ${path}, kind: kettle, gain_db: -6 }
`;

  it("parses, with the family label defaulting to wav", () => {
    const s = parseScenario(yaml("sounds/kettle.wav"));
    expect(s.events[1]).toMatchObject({ sfx_wav: "sounds/kettle.wav", kind: "kettle", gain_db: -6 });
    const d = parseScenario(yaml("x.wav").replace(", kind: kettle", ""));
    expect(d.events[1]).toMatchObject({ kind: "wav" });
    expect(() => parseScenario(yaml("x.wav").replace("kind: kettle", "kind: 'a b'"))).toThrow(/kind/);
  });

  it("a missing file is an error naming it, relative to the scenario file", () => {
    const dir = join(tmp, "missing");
    mkdirSync(dir);
    writeFileSync(join(dir, "s.yaml"), yaml("nope.wav"));
    expect(() => loadScenarioDir(dir)).toThrow(/nope\.wav not found/);
  });

  it("is mixed into its participant's mic at its time, and its bytes are part of the cache key", async () => {
    const dir = join(tmp, "ok");
    mkdirSync(join(dir, "sounds"), { recursive: true });
    // 400 ms of a 300 Hz tone at 16 kHz: sox converts rate and format.
    const pcm = new Int16Array(6400);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / 16000));
    writeWav16(join(dir, "sounds", "kettle.wav"), pcm, 16000);
    writeFileSync(join(dir, "s.yaml"), yaml("sounds/kettle.wav"));
    const [loaded] = loadScenarioDir(dir);
    const s = loaded!.scenario;
    const k1 = cacheKey(s, dir);
    const gen = await generateScenario(s, { cacheDir: join(tmp, "cache"), noCache: true, baseDir: dir });
    const fx = gen.truth.sfx[0];
    expect(fx).toMatchObject({ who: "b", kind: "kettle", start: 1500 });
    expect((fx?.end ?? 0) - (fx?.start ?? 0)).toBeGreaterThan(380);
    // b's level rises during the recording (frames 75..95), from the room's floor.
    const lv = gen.trace.levels["b"] ?? [];
    expect(Math.min(...(lv.slice(78, 92) as number[]))).toBeLessThan(Math.min(...(lv.slice(10, 60) as number[])) - 20);
    pcm[100] = 1;
    writeWav16(join(dir, "sounds", "kettle.wav"), pcm, 16000);
    expect(cacheKey(s, dir)).not.toBe(k1);
    expect(readFileSync(join(gen.dir, "b.wav")).length).toBeGreaterThan(44);
  }, 30_000);
});
