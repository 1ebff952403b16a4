/**
 * The lab's model of the director's transport (lab/transport.ts), on the real Silero model:
 * levels as the director meters them (16 kHz), and the model's reads as its 40 ms frames
 * deliver them.
 */
import { describe, expect, it } from "vitest";
import { dbovFromInt16 } from "@/lib/switching/level";
import { DEFAULT_TRANSPORT_MS, transportDelayMs, transportForPcm } from "@/lab/transport";
import { readWav } from "../../helpers/wav";

const FRAME48 = 960;

function levels48(pcm: Int16Array): number[] {
  const out: number[] = [];
  for (let f = 0; (f + 1) * FRAME48 <= pcm.length; f++) out.push(dbovFromInt16(pcm.subarray(f * FRAME48, (f + 1) * FRAME48)));
  return out;
}

/** `n` frames of a quiet room, then the clip: the gate needs a floor to open above. */
function afterRoomTone(clip: Int16Array, frames = 25): Int16Array {
  const out = new Int16Array(frames * FRAME48 + clip.length);
  for (let i = 0; i < frames * FRAME48; i++) out[i] = ((i * 7919) % 13) - 6;
  out.set(clip, frames * FRAME48);
  return out;
}

describe("lab transport model", () => {
  it("meters speech at 16 kHz within about a dB of the 48 kHz levels, and a click several dB quieter", async () => {
    const speech = afterRoomTone(readWav("tests/fixtures/audio/speech-alice.wav").samples);
    const r = await transportForPcm(speech);
    const ref = levels48(speech);
    expect(r.levels.length).toBe(ref.length);
    const loud = ref.map((v, i) => [v, r.levels[i] ?? 127] as const).filter(([v]) => v < 50);
    expect(loud.length).toBeGreaterThan(50);
    const diffs = loud.map(([a, b]) => b - a).sort((a, b) => a - b);
    expect(Math.abs(diffs[Math.floor(diffs.length / 2)] ?? 99)).toBeLessThanOrEqual(1);

    const click = afterRoomTone(readWav("tests/fixtures/audio/click.wav").samples);
    const c16 = await transportForPcm(click);
    const c48 = levels48(click);
    const peak = c48.indexOf(Math.min(...c48));
    expect((c16.levels[peak] ?? 0) - (c48[peak] ?? 0)).toBeGreaterThanOrEqual(3); // dBov: higher = quieter
  });

  it("hands the policy the probability of a 40 ms frame's newer half with both halves, and the real model hears the speech", async () => {
    const r = await transportForPcm(afterRoomTone(readWav("tests/fixtures/audio/speech-bob.wav").samples));
    for (let i = 0; i + 1 < r.speech.length; i += 2) expect(r.speech[i]).toBe(r.speech[i + 1]);
    expect(r.speech.slice(0, 20).every((p) => p === null)).toBe(true); // room tone: the gate is shut
    const heard = r.speech.filter((p): p is number => p !== null);
    expect(heard.filter((p) => p > 0.5).length).toBeGreaterThan(heard.length * 0.5);
  });

  it("delays every cut by one frame of pairing, half a clock tick, and the transport latency", () => {
    expect(transportDelayMs({})).toBe(20 + 10 + DEFAULT_TRANSPORT_MS);
    expect(transportDelayMs({ LAB_TRANSPORT_MS: "0" })).toBe(30);
    expect(() => transportDelayMs({ LAB_TRANSPORT_MS: "soon" })).toThrow(/LAB_TRANSPORT_MS/);
  });
});
