/**
 * Scenario → audio, ground truth and level trace.
 *
 * Pipeline per scenario: espeak-ng speaks every line (via sox to 48 kHz float), each line is
 * normalised to a common active speech level, placed on the timeline (relative placements
 * need the acoustic end of the previous turn, so placement happens after synthesis), sound
 * effects and noise are synthesised from the seeded PRNG, leakage paths are mixed in, and
 * each mic is quantised to int16. The level trace is computed from those int16 samples
 * exactly as a sender would (RFC 6464 over 20 ms), then impaired like a network would.
 *
 * Output is cached under .cache/lab/<name>/ keyed by a hash of the parsed scenario, the
 * generator version and the espeak/sox versions. The content hash covers every output file.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { dbovFromInt16 } from "@/lib/switching/level";
import type { Observation } from "@/lib/switching/types";
import { impair } from "./impair";
import { rngFor } from "./rng";
import { type Scenario, type ScenarioEvent, isAction, isSay, isSfx, isSfxWav } from "./scenario";
import { SAMPLE_RATE, dbToGain, noise, sfx } from "./synth";
import {
  type ActionInstance,
  FRAME_MS,
  type FloorSegment,
  type LevelTrace,
  type SfxInstance,
  type Span,
  type Truth,
  type Utterance,
} from "./trace";
import { SOX, TtsPool, toolVersions } from "./tts";
import { spawnSync } from "node:child_process";
import { writeWav16 } from "./wav";

/** Bump when anything below changes the output for the same scenario. */
export const GENERATOR_VERSION = "lab-gen-5";

/** Active speech level every line is normalised to before the mic gain: a typical AGC'd mic. */
export const SPEECH_ACTIVE_DBFS = -22;
const SILENCE_THRESHOLD = 10 ** (-55 / 20);
const FRAME = (SAMPLE_RATE * FRAME_MS) / 1000;

export const DEFAULT_CACHE_DIR = resolve(process.cwd(), ".cache/lab");

export interface GeneratedScenario {
  name: string;
  dir: string;
  hash: string;
  truth: Truth;
  trace: LevelTrace;
  cached: boolean;
}

let versionsMemo: string | undefined;
function versions(): string {
  versionsMemo ??= toolVersions();
  return versionsMemo;
}

/**
 * The sources whose behaviour shapes the output. Hashing them into the cache key means an
 * edit anywhere in the pipeline (including the shared dBov code in lib/switching/level.ts,
 * which another team owns) invalidates the cache even if nobody bumps GENERATOR_VERSION.
 */
const GENERATOR_SOURCES = ["generate.ts", "synth.ts", "sfx.ts", "impair.ts", "tts.ts", "rng.ts", "wav.ts", "../lib/switching/level.ts"];

let sourcesMemo: string | undefined;
function sourcesHash(): string {
  if (sourcesMemo === undefined) {
    const h = createHash("sha256");
    for (const f of GENERATOR_SOURCES) h.update(readFileSync(join(__dirname, f))).update("\0");
    sourcesMemo = h.digest("hex");
  }
  return sourcesMemo;
}

/** An sfx_wav file as mono 48 kHz float: sox reads any format and rate, without dither. */
export function loadSfxWav(path: string): Float32Array {
  const r = spawnSync(SOX, ["-D", "-R", path, "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", String(SAMPLE_RATE), "-"], { maxBuffer: 1 << 30 });
  if (r.error || r.status !== 0) throw new Error(`sfx_wav ${path}: sox failed: ${r.error?.message ?? r.stderr.toString()}`);
  const out = new Float32Array(r.stdout.length / 4);
  new Uint8Array(out.buffer).set(r.stdout.subarray(0, out.length * 4));
  return out;
}

/** The scenario's own recordings, by content: editing a WAV regenerates the scenario. */
function wavHashes(s: Scenario, baseDir: string): string {
  const h = createHash("sha256");
  for (const ev of s.events) if (isSfxWav(ev)) h.update(ev.sfx_wav).update("\0").update(readFileSync(resolve(baseDir, ev.sfx_wav)));
  return h.digest("hex");
}

export function cacheKey(s: Scenario, baseDir = process.cwd()): string {
  return createHash("sha256")
    .update(wavHashes(s, baseDir))
    .update("\0")
    .update(GENERATOR_VERSION)
    .update("\0")
    .update(versions())
    .update("\0")
    .update(sourcesHash())
    .update("\0")
    .update(JSON.stringify(s))
    .digest("hex")
    .slice(0, 16);
}

const ms = (samples: number): number => (samples / SAMPLE_RATE) * 1000;
const samplesAt = (tMs: number): number => Math.round((tMs / 1000) * SAMPLE_RATE);

interface Line {
  audio: Float32Array;
  /** first and last audible sample */
  lead: number;
  tail: number;
  segments: Span[];
}

/** Normalises a TTS line to SPEECH_ACTIVE_DBFS over its voiced frames and finds its edges. */
function prepareLine(raw: Float32Array): Line {
  const frames: number[] = [];
  for (let i = 0; i + FRAME <= raw.length; i += FRAME) {
    let s = 0;
    for (let k = i; k < i + FRAME; k++) s += (raw[k] ?? 0) ** 2;
    frames.push(s / FRAME);
  }
  const peak = Math.max(1e-20, ...frames);
  const voiced = frames.filter((p) => p > peak / 10 ** 2.5);
  const active = voiced.reduce((a, b) => a + b, 0) / Math.max(1, voiced.length);
  const g = dbToGain(SPEECH_ACTIVE_DBFS) / Math.sqrt(Math.max(1e-20, active));
  const audio = new Float32Array(raw.length);
  let lead = -1;
  let tail = -1;
  for (let i = 0; i < raw.length; i++) {
    const v = (raw[i] ?? 0) * g;
    audio[i] = v;
    if (Math.abs(v) > SILENCE_THRESHOLD) {
      if (lead < 0) lead = i;
      tail = i;
    }
  }
  if (lead < 0) throw new Error("TTS line is silent");
  // Voiced stretches: frames within 35 dB of the loudest frame; pauses >= 200 ms split them.
  const segments: Array<[number, number]> = [];
  const on = frames.map((p) => p > peak / 10 ** 3.5);
  let start = -1;
  let lastOn = -1;
  for (let f = 0; f < on.length; f++) {
    if (!on[f]) continue;
    if (start < 0) start = f;
    else if ((f - lastOn - 1) * FRAME_MS >= 200) {
      segments.push([start * FRAME_MS, (lastOn + 1) * FRAME_MS]);
      start = f;
    }
    lastOn = f;
  }
  if (start >= 0) segments.push([start * FRAME_MS, (lastOn + 1) * FRAME_MS]);
  return { audio, lead, tail, segments };
}

interface Placed {
  ev: ScenarioEvent;
  /** start of the audio buffer, in samples (may be negative only if the author asked for it) */
  start: number;
  audio: Float32Array | null;
  onset: number;
  end: number;
  segments: Span[];
}

export interface GenerateOptions {
  cacheDir?: string;
  /** skip the cache entirely (the determinism test generates into temp dirs) */
  noCache?: boolean;
  /** write the per-participant WAVs (the trace alone is enough to run policies) */
  writeAudio?: boolean;
  pool?: TtsPool;
  /** directory that sfx_wav paths are relative to (the scenario file's) */
  baseDir?: string;
}

export async function generateScenario(s: Scenario, opts: GenerateOptions = {}): Promise<GeneratedScenario> {
  const cacheDir = opts.cacheDir ?? DEFAULT_CACHE_DIR;
  const dir = join(cacheDir, s.name);
  const baseDir = opts.baseDir ?? process.cwd();
  const key = cacheKey(s, baseDir);
  const manifestPath = join(dir, "manifest.json");
  if (!opts.noCache && existsSync(manifestPath)) {
    try {
      const m = JSON.parse(readFileSync(manifestPath, "utf8")) as { key: string; hash: string };
      if (m.key === key) {
        const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")) as Truth;
        const trace = JSON.parse(readFileSync(join(dir, "trace.json"), "utf8")) as LevelTrace;
        return { name: s.name, dir, hash: m.hash, truth, trace, cached: true };
      }
    } catch {
      // A torn or stale cache entry is regenerated below rather than trusted.
    }
  }
  const pool = opts.pool ?? new TtsPool(2);
  const byId = new Map(s.participants.map((p) => [p.id, p]));

  // 1. Synthesize every line (in parallel, bounded by the pool).
  const lines = await Promise.all(
    s.events.map(async (ev) => {
      if (!isSay(ev)) return null;
      const p = byId.get(ev.who);
      if (!p) throw new Error(`unknown participant ${ev.who}`);
      return prepareLine(await pool.speak({ text: ev.say, voice: p.voice, rate: p.rate, pitch: p.pitch }));
    }),
  );

  // 2. Place events on the timeline, in file order (relative placements refer back).
  const placed: Placed[] = [];
  let prevTurn: { onset: number; end: number } | null = null;
  s.events.forEach((ev, i) => {
    const line = lines[i] ?? null;
    const rng = rngFor(s.seed, `sfx:${i}`);
    let audio: Float32Array | null = null;
    let lead = 0;
    let tail = 0;
    let segments: Span[] = [];
    if (line) {
      audio = line.audio;
      lead = line.lead;
      tail = line.tail;
      segments = line.segments;
    } else if (isSfx(ev) || isSfxWav(ev)) {
      audio = isSfx(ev) ? sfx(ev.sfx, rng) : loadSfxWav(resolve(baseDir, ev.sfx_wav));
      tail = audio.length - 1;
      for (let k = audio.length - 1; k >= 0; k--) {
        if (Math.abs(audio[k] ?? 0) > SILENCE_THRESHOLD) {
          tail = k;
          break;
        }
      }
    }
    // Onset in samples, then the buffer start from the onset.
    let onset: number;
    if (prevTurn && ev.overlap_ms !== undefined) onset = prevTurn.end - samplesAt(ev.overlap_ms);
    else if (prevTurn && ev.gap_ms !== undefined) onset = prevTurn.end + samplesAt(ev.gap_ms);
    else if (prevTurn && ev.after_onset_ms !== undefined) onset = prevTurn.onset + samplesAt(ev.after_onset_ms);
    else onset = samplesAt((ev.t ?? 0) * 1000) + lead;
    const start = onset - lead;
    const end = start + tail + 1;
    const gain = dbToGain(ev.gain_db);
    if (audio && ev.gain_db !== 0) {
      const scaled = new Float32Array(audio.length);
      for (let k = 0; k < audio.length; k++) scaled[k] = (audio[k] ?? 0) * gain;
      audio = scaled;
    }
    const segMs: Span[] = segments.map(([a, b]) => [ms(start) + a, ms(start) + b] as const);
    placed.push({ ev, start, audio, onset, end, segments: segMs });
    if (isSay(ev) && ev.role === "turn") prevTurn = { onset, end };
  });

  const lastEnd = Math.max(...placed.map((p) => p.end));
  const durationMs = s.duration !== undefined ? s.duration * 1000 : Math.ceil(ms(lastEnd) / FRAME_MS) * FRAME_MS + 3000;
  const nFrames = Math.floor(durationMs / FRAME_MS);
  const n = nFrames * FRAME;

  // 3. Presence: who is connected and unmuted, per sample range. Mutes and leaves zero the mic.
  const actions: ActionInstance[] = placed
    .filter((p) => isAction(p.ev))
    .map((p) => ({ who: p.ev.who, t: Math.round(ms(p.onset)), action: (p.ev as { action: ActionInstance["action"] }).action }))
    .sort((a, b) => a.t - b.t);
  const live = (id: string): Uint8Array => {
    const mask = new Uint8Array(nFrames);
    const p = byId.get(id);
    let present = !p?.late;
    let muted = false;
    let f = 0;
    for (const a of actions.filter((x) => x.who === id)) {
      const upto = Math.min(nFrames, Math.floor(a.t / FRAME_MS));
      for (; f < upto; f++) mask[f] = present && !muted ? 1 : 0;
      if (a.action === "join") present = true;
      else if (a.action === "leave") present = false;
      else muted = a.action === "mute";
    }
    for (; f < nFrames; f++) mask[f] = present && !muted ? 1 : 0;
    return mask;
  };

  // 4. Sources per talker (speech + effects), then each mic = own source + leaks + noise.
  const sources = new Map<string, Float32Array>();
  for (const p of s.participants) sources.set(p.id, new Float32Array(n));
  for (const pl of placed) {
    if (!pl.audio) continue;
    const src = sources.get(pl.ev.who);
    if (!src) continue;
    for (let k = 0; k < pl.audio.length; k++) {
      const idx = pl.start + k;
      if (idx >= 0 && idx < n) src[idx] = (src[idx] ?? 0) + (pl.audio[k] ?? 0);
    }
  }
  const mkdir = (): void => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  };
  mkdir();
  const files: string[] = [];
  const clean: Record<string, Array<number | null>> = {};
  const traceLevels: Record<string, Array<number | null>> = {};
  for (const p of s.participants) {
    const mic = new Float32Array(n);
    const own = sources.get(p.id);
    const g = dbToGain(p.gain_db);
    if (own) for (let k = 0; k < n; k++) mic[k] = (own[k] ?? 0) * g;
    for (const other of s.participants) {
      if (other.id === p.id) continue;
      const leak = s.leak_db[other.id]?.[p.id];
      if (leak === undefined) continue;
      const src = sources.get(other.id);
      if (!src) continue;
      // The leak carries the talker's acoustic voice, so it follows the talker's own level
      // (gain_db models how loud the talker is at their own mic).
      const lg = dbToGain(leak) * dbToGain(other.gain_db);
      const delay = samplesAt(s.leak_delay_ms[other.id]?.[p.id] ?? 0);
      for (let k = delay; k < n; k++) mic[k] = (mic[k] ?? 0) + (src[k - delay] ?? 0) * lg;
    }
    const nz = noise(p.noise.type, p.noise.dbfs, n, rngFor(s.seed, `noise:${p.id}`));
    for (let k = 0; k < n; k++) mic[k] = (mic[k] ?? 0) + (nz[k] ?? 0);
    const mask = live(p.id);
    const pcm = new Int16Array(n);
    for (let f = 0; f < nFrames; f++) {
      if (!mask[f]) continue;
      for (let k = f * FRAME; k < (f + 1) * FRAME; k++) {
        pcm[k] = Math.max(-32768, Math.min(32767, Math.round((mic[k] ?? 0) * 32768)));
      }
    }
    const levels: Array<number | null> = [];
    for (let f = 0; f < nFrames; f++) {
      levels.push(mask[f] ? dbovFromInt16(pcm.subarray(f * FRAME, (f + 1) * FRAME)) : null);
    }
    clean[p.id] = levels;
    traceLevels[p.id] = impair(levels, s.network, rngFor(s.seed, `net:${p.id}`));
    if (opts.writeAudio !== false) {
      const file = `${p.id}.wav`;
      writeWav16(join(dir, file), pcm, SAMPLE_RATE);
      files.push(file);
    }
  }

  // 5. Ground truth.
  const utterances: Utterance[] = placed
    .filter((pl) => isSay(pl.ev))
    .map((pl) => {
      const ev = pl.ev as { who: string; say: string; role: "turn" | "backchannel" };
      return { who: ev.who, role: ev.role, text: ev.say, onset: Math.round(ms(pl.onset)), end: Math.round(ms(pl.end)), segments: pl.segments };
    });
  const sfxOut: SfxInstance[] = placed
    .filter((pl) => isSfx(pl.ev) || isSfxWav(pl.ev))
    .map((pl) => ({ who: pl.ev.who, kind: isSfx(pl.ev) ? pl.ev.sfx : isSfxWav(pl.ev) ? pl.ev.kind : "wav", start: Math.round(ms(pl.start)), end: Math.round(ms(pl.end)) }));
  const speech: Record<string, Span[]> = {};
  for (const p of s.participants) speech[p.id] = [];
  for (const u of utterances) speech[u.who]?.push(...u.segments);
  for (const list of Object.values(speech)) list.sort((a, b) => a[0] - b[0]);
  const floor = buildFloor(utterances, actions, durationMs);
  const groups: Record<string, string> = {};
  for (const p of s.participants) if (p.group) groups[p.id] = p.group;
  const truth: Truth = {
    scenario: s.name,
    durationMs,
    participants: s.participants.map((p) => p.id),
    groups,
    leakDb: s.leak_db,
    utterances: utterances.sort((a, b) => a.onset - b.onset),
    sfx: sfxOut.sort((a, b) => a.start - b.start),
    actions,
    speech,
    floor,
  };

  // 6. Session observations: everyone present at the start joins at t=0, the rest on cue.
  const events: Observation[] = [];
  for (const p of s.participants) if (!p.late) events.push({ type: "join", t: 0, id: p.id });
  for (const a of actions) {
    if (a.action === "join" || a.action === "leave") events.push({ type: a.action, t: a.t, id: a.who });
    else events.push({ type: "mute", t: a.t, id: a.who, muted: a.action === "mute" });
  }
  events.sort((a, b) => a.t - b.t);
  const trace: LevelTrace = { frameMs: FRAME_MS, participants: s.participants.map((p) => p.id), levels: traceLevels, events };

  writeFileSync(join(dir, "truth.json"), JSON.stringify(truth));
  writeFileSync(join(dir, "trace.json"), JSON.stringify(trace));
  files.push("truth.json", "trace.json");
  const hash = contentHash(dir, files);
  writeFileSync(manifestPath, JSON.stringify({ key, hash, generator: GENERATOR_VERSION, files }, null, 2));
  return { name: s.name, dir, hash, truth, trace, cached: false };
}

/** sha256 over every output file, in a fixed order, names included. */
export function contentHash(dir: string, files: readonly string[]): string {
  const h = createHash("sha256");
  for (const f of [...files].sort()) {
    h.update(f).update("\0").update(readFileSync(join(dir, f))).update("\0");
  }
  return h.digest("hex");
}

/**
 * The floor: every turn owns it from its acoustic onset until the next turn's onset. A holder
 * who leaves gives it up at once (there is no one to show); a mute does not change it.
 */
export function buildFloor(utterances: readonly Utterance[], actions: readonly ActionInstance[], durationMs: number): FloorSegment[] {
  const turns = utterances.filter((u) => u.role === "turn").sort((a, b) => a.onset - b.onset);
  const raw: FloorSegment[] = [];
  const first = turns[0];
  if (first && first.onset > 0) raw.push({ from: 0, to: first.onset, who: null });
  if (!first) raw.push({ from: 0, to: durationMs, who: null });
  turns.forEach((t, i) => {
    const to = Math.min(durationMs, turns[i + 1]?.onset ?? durationMs);
    const left = actions.find((a) => a.who === t.who && a.action === "leave" && a.t >= t.onset && a.t < to);
    if (left) {
      raw.push({ from: t.onset, to: left.t, who: t.who });
      raw.push({ from: left.t, to, who: null });
    } else raw.push({ from: t.onset, to, who: t.who });
  });
  const merged: FloorSegment[] = [];
  for (const seg of raw) {
    if (seg.to <= seg.from) continue;
    const last = merged[merged.length - 1];
    if (last && last.who === seg.who && last.to === seg.from) last.to = seg.to;
    else merged.push({ ...seg });
  }
  return merged;
}
