/**
 * Network impairments applied to a clean level trace, as an SFU would see the RFC 6464
 * header extension: DTX thins out packets in silence, loss drops packets, jitter moves
 * packets into later 20 ms ticks (several may land in one tick, leaving others empty).
 */
import { FRAME_MS } from "./trace";
import { type Rng, gaussian } from "./rng";

export interface Impairments {
  jitter_ms: number;
  loss: number;
  dtx: boolean;
}

/** Frames at or below this dBov count as voice for DTX; pink noise at -60 dBFS sits near 60. */
export const DTX_VOICE_DBOV = 50;
/** Opus keeps sending for a short hangover after voice ends. */
export const DTX_HANGOVER_FRAMES = 10;
/** In DTX, Opus sends one comfort-noise frame every 400 ms. */
export const DTX_INTERVAL_FRAMES = 20;

export function impair(clean: ReadonlyArray<number | null>, net: Impairments, rng: Rng): Array<number | null> {
  const n = clean.length;
  const sent: Array<number | null> = clean.slice();
  if (net.dtx) {
    let hang = 0;
    let since = DTX_INTERVAL_FRAMES;
    for (let i = 0; i < n; i++) {
      const v = clean[i];
      if (v === null || v === undefined) continue;
      const voice = v <= DTX_VOICE_DBOV;
      if (voice) hang = DTX_HANGOVER_FRAMES;
      if (voice || hang > 0) {
        if (!voice) hang--;
        since = 0;
      } else if (since >= DTX_INTERVAL_FRAMES - 1) {
        since = 0;
      } else {
        sent[i] = null;
        since++;
      }
    }
  }
  if (net.loss > 0) {
    for (let i = 0; i < n; i++) if (sent[i] !== null && rng() < net.loss) sent[i] = null;
  }
  if (net.jitter_ms <= 0) return sent;
  // Each packet's extra delay is half-normal with mean jitter_ms; the last packet to
  // arrive in a tick is the one the tick reports.
  const out: Array<number | null> = new Array<number | null>(n).fill(null);
  const arrivals: Array<{ tick: number; at: number; v: number }> = [];
  const sigma = net.jitter_ms / Math.sqrt(2 / Math.PI);
  for (let i = 0; i < n; i++) {
    const v = sent[i];
    if (v === null || v === undefined) continue;
    const at = (i + 1) * FRAME_MS + Math.abs(gaussian(rng)) * sigma;
    arrivals.push({ tick: Math.ceil(at / FRAME_MS) - 1, at, v });
  }
  arrivals.sort((a, b) => a.at - b.at);
  for (const a of arrivals) if (a.tick < n) out[a.tick] = a.v;
  return out;
}
