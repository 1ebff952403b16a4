/**
 * The real director's transport, modelled for the simulated rows that carry `-rtc` in their
 * name (e.g. `evidence-rtc`), so that simulation and the real-pipeline replay (lab/real.ts)
 * can be compared like for like:
 *
 *  - **Metering at 16 kHz.** The director decodes each microphone at 16 kHz (rtc-node
 *    resamples; worker/room-input.ts) and takes its levels from that, where the plain lab
 *    meters the clean 48 kHz PCM. Broadband transients (clicks, claps) read several dB
 *    quieter at 16 kHz. Here: the WAV through lib/speech's 48 → 16 kHz decimator, rounded
 *    to int16 as rtc-node delivers it, metered per 20 ms.
 *  - **The voice model on the same audio, with the same gate**, driven by those 16 kHz
 *    levels (the director's SpeechStage gets the levels it computed itself).
 *  - **40 ms frames.** The director reads 40 ms frames (two levels each) and runs the model
 *    on both halves as soon as the frame arrives, while its 20 ms clock hands the policy
 *    one level per tick. So the probability the policy sees with a frame's first half is
 *    already that of the second half (`speech[i] = p[i | 1]`), and every level reaches the
 *    policy one 20 ms frame later than in the plain lab, plus the clock's phase (0–20 ms,
 *    10 on average).
 *  - **Transport latency**: Opus packetisation is already in the lab's frame-end stamps;
 *    the WebRTC path (capture queue, loopback network, the receiver's jitter buffer and the
 *    decode) adds a roughly constant delay, `LAB_TRANSPORT_MS` (default
 *    DEFAULT_TRANSPORT_MS, see below). Every cut of an `-rtc` row is shifted by
 *    20 + 10 + that delay.
 *
 * Not modelled: Opus coding itself (no encoder in this project; its effect on 20 ms speech
 * levels is within ±1 dB), packet loss and jitter beyond the scenario's own `network`
 * impairments (whose lost frames stay lost here too), and load on the director's host.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Decimate3, SpeechGate, VoiceDetector } from "@/lib/speech";
import { dbovFromInt16 } from "@/lib/switching/level";
import type { GeneratedScenario } from "./generate";
import { type SpeechTrack, modelKey, readWav16, sharedVad } from "./speech-track";
import { FRAME_MS } from "./trace";

/**
 * The WebRTC path's delay beyond Opus packetisation, in ms: rtc-node's capture queue
 * (frames paced in real time: 0–10 ms), loopback (< 1 ms), and the receiving jitter buffer
 * with decode, which on a clean loopback settles at one to two packets. An estimate; the
 * real-pipeline replay prints the measured real − simulated offset per scenario beside it.
 */
export const DEFAULT_TRANSPORT_MS = 40;

/** The delay added to every cut of an `-rtc` row: one frame of pairing, the clock phase, transport. */
export function transportDelayMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env["LAB_TRANSPORT_MS"];
  const d = raw === undefined || raw === "" ? DEFAULT_TRANSPORT_MS : Number(raw);
  if (!Number.isFinite(d) || d < 0) throw new Error(`LAB_TRANSPORT_MS must be a number of ms ≥ 0 (got "${raw}")`);
  return FRAME_MS + FRAME_MS / 2 + d;
}

export interface TransportTrack {
  /** dBov per 20 ms frame from the 16 kHz audio; null where the plain trace has no packet */
  levels: Record<string, Array<number | null>>;
  /** the model's probability as the policy reads it at each frame's tick (see above) */
  speech: SpeechTrack;
}

/** 48 kHz PCM → 16 kHz int16, as rtc-node hands the director a decoded frame. */
export function to16kInt16(dec: Decimate3, pcm48: Int16Array): Int16Array {
  const x = dec.process(pcm48);
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round((x[i] ?? 0) * 32768)));
  return out;
}

/** One participant's mic as the director meters it: 16 kHz int16, 20 ms levels, gate, model. */
export async function transportForPcm(pcm48: Int16Array): Promise<{ levels: number[]; speech: Array<number | null> }> {
  const vad = await sharedVad();
  const frame48 = (48_000 * FRAME_MS) / 1000;
  const dec = new Decimate3();
  const gate = new SpeechGate();
  const det = new VoiceDetector(vad);
  const levels: number[] = [];
  const raw: Array<number | null> = [];
  for (let f = 0; (f + 1) * frame48 <= pcm48.length; f++) {
    const pcm16 = to16kInt16(dec, pcm48.subarray(f * frame48, (f + 1) * frame48));
    const dbov = dbovFromInt16(pcm16);
    levels.push(dbov);
    const open = gate.update((f + 1) * FRAME_MS, dbov);
    const p = await det.push(pcm16, open);
    raw.push(open ? p : null);
  }
  // The director reads the probability after both halves of a 40 ms frame were pushed.
  const speech = raw.map((_, i) => raw[Math.min(raw.length - 1, i | 1)] ?? null);
  return { levels, speech };
}

/** Cached next to the scenario as transport.json, keyed like speech.json. */
export async function transportTrack(gen: GeneratedScenario): Promise<TransportTrack> {
  const path = join(gen.dir, "transport.json");
  const key = `${gen.hash}:${modelKey(__filename)}`;
  if (existsSync(path)) {
    try {
      const c = JSON.parse(readFileSync(path, "utf8")) as { key: string; track: TransportTrack };
      if (c.key === key) return c.track;
    } catch {
      // recompute below
    }
  }
  const track: TransportTrack = { levels: {}, speech: {} };
  for (const id of gen.trace.participants) {
    const wav = join(gen.dir, `${id}.wav`);
    if (!existsSync(wav)) throw new Error(`${wav} is missing: the transport model needs the audio (run without --no-audio once)`);
    const { pcm } = readWav16(wav);
    const r = await transportForPcm(pcm);
    const plain = gen.trace.levels[id] ?? [];
    // Frames the plain trace lost (network impairment, absent, muted) are lost here too.
    track.levels[id] = plain.map((v, i) => (v === null ? null : (r.levels[i] ?? null)));
    track.speech[id] = r.speech.map((p) => (p === null ? null : Math.round(p * 1000) / 1000));
  }
  writeFileSync(path, JSON.stringify({ key, track }));
  return track;
}
