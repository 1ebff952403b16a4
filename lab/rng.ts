/**
 * Seeded randomness. Every random choice in the lab derives from the scenario seed plus a
 * purpose label, so adding a new random draw in one place never shifts the draws elsewhere
 * (which a single shared stream would do, silently changing every cached scenario).
 */
import { createHash } from "node:crypto";

export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for noise and jitter; not for anything secret. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rngFor(seed: number, label: string): Rng {
  const h = createHash("sha256").update(`${seed}:${label}`).digest();
  return mulberry32(h.readUInt32LE(0));
}

export function gaussian(rng: Rng): number {
  // Box-Muller; 1 - u avoids log(0).
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}
