/**
 * Bounded histories for /debug: the last 10 s of levels per participant (one byte per
 * 20 ms frame, base64) and the last 100 decisions. Kept small enough to live in the
 * director's participant attributes.
 */
import type { Decision } from "@/lib/switching/types";

export const LEVEL_HISTORY_FRAMES = 500; // 10 s at 20 ms

export class LevelHistory {
  private readonly buf: Uint8Array;
  private next = 0;
  private count = 0;

  /** `size` samples are kept: 10 s of 20 ms frames for /debug, 2 min of buckets for /friends. */
  constructor(private readonly size = LEVEL_HISTORY_FRAMES) {
    this.buf = new Uint8Array(size).fill(127);
  }

  push(dbov: number): void {
    this.buf[this.next] = Math.max(0, Math.min(127, Math.round(dbov)));
    this.next = (this.next + 1) % this.size;
    this.count = Math.min(this.count + 1, this.size);
  }

  /** Oldest first, as base64 of one byte per sample. */
  toBase64(): string {
    const out = new Uint8Array(this.count);
    const start = (this.next - this.count + this.size) % this.size;
    for (let i = 0; i < this.count; i++) out[i] = this.buf[(start + i) % this.size]!;
    return Buffer.from(out).toString("base64");
  }
}

export interface DecisionRecord {
  /** wall clock, ms since the epoch */
  at: number;
  program: string | null;
  previous: string | null;
  reason: string;
  evidence: Readonly<Record<string, number>>;
  seq: number;
  /** the shot from this decision on */
  shot: "speaker" | "wide";
}

export class DecisionLog {
  private readonly items: DecisionRecord[] = [];
  constructor(private readonly max = 100) {}

  add(d: Decision, at: number, seq: number): DecisionRecord {
    const rec = { at, program: d.program, previous: d.previous, reason: d.reason, evidence: d.evidence, seq, shot: d.shot ?? "speaker" };
    this.items.push(rec);
    if (this.items.length > this.max) this.items.shift();
    return rec;
  }

  list(): readonly DecisionRecord[] {
    return this.items;
  }
}
