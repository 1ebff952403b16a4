/**
 * The `speech` track: the real voice model (lib/speech, Silero) run offline over each
 * participant's WAV exactly as the director's input stage runs it live: 20 ms frames,
 * the level gate per participant (the model runs only where the gate opens), 16 kHz audio
 * with the state and pre-roll per participant. One value per 20 ms frame: the latest
 * window's probability, or null where the model was not run ("not evaluated").
 *
 * Cached next to the scenario as speech.json, keyed by the scenario's content hash, the
 * model file and the lib/speech sources, so it is recomputed only when one of them changes.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Decimate3, SileroVad, SpeechGate, VoiceDetector, sileroModelPath } from "@/lib/speech";
import { dbovFromInt16 } from "@/lib/switching/level";
import type { GeneratedScenario } from "./generate";
import { FRAME_MS } from "./trace";

export type SpeechTrack = Record<string, Array<number | null>>;

const SOURCES = ["silero.ts", "detector.ts", "gate.ts", "resample.ts"].map((f) => join(__dirname, "..", "lib", "speech", f));

const keyMemo = new Map<string, string>();
/**
 * What a model track depends on besides the scenario: the model file, lib/speech's sources
 * and the file that computes the track (this one, or lab/transport.ts).
 */
export function modelKey(file: string = __filename): string {
  let key = keyMemo.get(file);
  if (key === undefined) {
    const h = createHash("sha256").update(readFileSync(sileroModelPath()));
    for (const f of [...SOURCES, file]) h.update(readFileSync(f));
    key = h.digest("hex").slice(0, 16);
    keyMemo.set(file, key);
  }
  return key;
}

/** Reads a 16-bit mono WAV as written by lab/wav.ts. */
export function readWav16(path: string): { sampleRate: number; pcm: Int16Array } {
  const buf = readFileSync(path);
  let off = 12;
  let sampleRate = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString("ascii", off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === "fmt ") sampleRate = buf.readUInt32LE(off + 12);
    if (id === "data") {
      // Lab WAVs before lab-gen-5 left the data size at 0: read to the end of the file then.
      const bytes = size > 0 && off + 8 + size <= buf.length ? size : buf.length - off - 8;
      const pcm = new Int16Array(Math.floor(bytes / 2));
      for (let i = 0; i < pcm.length; i++) pcm[i] = buf.readInt16LE(off + 8 + i * 2);
      return { sampleRate, pcm };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

let vadPromise: Promise<SileroVad> | undefined;
export function sharedVad(): Promise<SileroVad> {
  vadPromise ??= SileroVad.load();
  return vadPromise;
}

/** One participant's mic through the gate and the model, frame by frame. */
export async function speechForPcm(vad: SileroVad, pcm48: Int16Array): Promise<Array<number | null>> {
  const frame48 = (48_000 * FRAME_MS) / 1000;
  const gate = new SpeechGate();
  const det = new VoiceDetector(vad);
  const dec = new Decimate3();
  const out: Array<number | null> = [];
  for (let f = 0; (f + 1) * frame48 <= pcm48.length; f++) {
    const block = pcm48.subarray(f * frame48, (f + 1) * frame48);
    const open = gate.update((f + 1) * FRAME_MS, dbovFromInt16(block));
    const p = await det.push(dec.process(block), open);
    out.push(open ? p : null);
  }
  return out;
}

export interface SpeechTrackResult {
  track: SpeechTrack;
  cached: boolean;
  windows: number;
}

export async function speechTrack(gen: GeneratedScenario): Promise<SpeechTrackResult> {
  const path = join(gen.dir, "speech.json");
  const key = `${gen.hash}:${modelKey()}`;
  if (existsSync(path)) {
    try {
      const c = JSON.parse(readFileSync(path, "utf8")) as { key: string; track: SpeechTrack };
      if (c.key === key) return { track: c.track, cached: true, windows: 0 };
    } catch {
      // recompute below
    }
  }
  const vad = await sharedVad();
  const before = vad.windows;
  const track: SpeechTrack = {};
  for (const id of gen.trace.participants) {
    const wav = join(gen.dir, `${id}.wav`);
    if (!existsSync(wav)) throw new Error(`${wav} is missing: the speech track needs the audio (run without --no-audio once)`);
    const { sampleRate, pcm } = readWav16(wav);
    if (sampleRate !== 48_000) throw new Error(`${wav}: want 48 kHz, got ${sampleRate}`);
    track[id] = (await speechForPcm(vad, pcm)).map((p) => (p === null ? null : Math.round(p * 1000) / 1000));
  }
  writeFileSync(path, JSON.stringify({ key, track }));
  return { track, cached: false, windows: vad.windows - before };
}
