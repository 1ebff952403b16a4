import { describe, expect, it } from "vitest";
import { dbovFromInt16, dbovFromRms, rmsFromDbov } from "@/lib/switching/level";

function constant(value: number, n = 480): Int16Array {
  return new Int16Array(n).fill(value);
}

function sine(amplitude: number, n = 4800, periodSamples = 48): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * i) / periodSamples));
  return out;
}

describe("dbovFromInt16", () => {
  it("maps digital silence and an empty block to 127", () => {
    expect(dbovFromInt16(constant(0))).toBe(127);
    expect(dbovFromInt16(new Int16Array(0))).toBe(127);
  });

  it("maps full scale to 0", () => {
    expect(dbovFromInt16(constant(-32768))).toBe(0);
    expect(dbovFromInt16(constant(32767))).toBe(0); // -0.0003 dB rounds to 0
  });

  it("gives -20·log10(rms/32768) for constants", () => {
    expect(dbovFromInt16(constant(16384))).toBe(6); // 6.02 dB
    expect(dbovFromInt16(constant(3277))).toBe(20); // 19.999 dB
    expect(dbovFromInt16(constant(500))).toBe(36); // server.py's threshold: 36.33 dB
    expect(dbovFromInt16(constant(1))).toBe(90); // 90.31 dB: one LSB is far from silence
  });

  it("gives 3 dBov for a full-scale sine (rms = peak/√2)", () => {
    expect(dbovFromInt16(sine(32767))).toBe(3);
    expect(dbovFromInt16(sine(3277))).toBe(23); // 20 + 3.01
  });

  it("rounds to the nearest dB like WebRTC", () => {
    expect(dbovFromRms(32768 * 10 ** (-10.49 / 20))).toBe(10);
    expect(dbovFromRms(32768 * 10 ** (-10.51 / 20))).toBe(11);
  });
});

describe("rmsFromDbov / dbovFromRms", () => {
  it("round-trips every level 0..126", () => {
    for (let d = 0; d <= 126; d++) expect(dbovFromRms(rmsFromDbov(d))).toBe(d);
  });

  it("treats 127 as silence in both directions", () => {
    expect(rmsFromDbov(127)).toBe(0);
    expect(dbovFromRms(0)).toBe(127);
    expect(dbovFromRms(-5)).toBe(127);
    expect(dbovFromRms(Number.NaN)).toBe(127);
  });

  it("clamps above full scale to 0 and knows the 500 threshold", () => {
    expect(dbovFromRms(1e9)).toBe(0);
    expect(rmsFromDbov(0)).toBe(32768);
    expect(rmsFromDbov(36)).toBeGreaterThan(500);
    expect(rmsFromDbov(37)).toBeLessThan(500);
  });
});
