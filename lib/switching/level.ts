/**
 * RFC 6464 audio levels (dBov, 0 = full scale, 127 = silence) and their link to the RMS of
 * 16-bit PCM. Pure; used by the director (levels it measures itself), the seed policy (which
 * thinks in int16 RMS like the original server.py) and the lab (synthetic traces).
 */

/** Full scale of int16 PCM: WebRTC normalises by 32768², not 32767². */
export const FULL_SCALE = 32768;
/** RFC 6464's floor: 127 means "-127 dBov or quieter", which we treat as digital silence. */
export const DBOV_SILENCE = 127;
/** For level-only policies: a level at or below this (dBov) counts as "speaking". */
export const SPEAKING_DBOV = 45;

// WebRTC's kMinLevel = 10^(-127/10): a normalised mean square at or below this reports 127.
const MIN_MEAN_SQUARE_NORM = 10 ** (-DBOV_SILENCE / 10);

function dbovFromMeanSquare(meanSquare: number): number {
  const norm = meanSquare / (FULL_SCALE * FULL_SCALE);
  if (!(norm > MIN_MEAN_SQUARE_NORM)) return DBOV_SILENCE; // also catches NaN
  // Same rounding as WebRTC's rms_level.cc: static_cast<int>(-rms + 0.5f), i.e. round half
  // up on a non-negative number. Clamp because a full-scale square wave gives exactly 0 and
  // rounding noise must not produce -0 or 128.
  const level = Math.floor(-10 * Math.log10(norm) + 0.5);
  return Math.min(DBOV_SILENCE, Math.max(0, level));
}

/**
 * The RFC 6464 level WebRTC would put in the RTP header for this block of samples:
 * round(-20·log10(rms / 32768)), clamped to 0..127; an empty or all-zero block is 127.
 */
export function dbovFromInt16(samples: Int16Array): number {
  const n = samples.length;
  if (n === 0) return DBOV_SILENCE;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const s = samples[i] ?? 0;
    sumSquares += s * s;
  }
  return dbovFromMeanSquare(sumSquares / n);
}

/** dBov of an int16-scale RMS value (the inverse of rmsFromDbov, rounded like WebRTC). */
export function dbovFromRms(rms: number): number {
  if (!Number.isFinite(rms) || rms <= 0) return DBOV_SILENCE;
  return dbovFromMeanSquare(rms * rms);
}

/**
 * The int16-scale RMS a dBov level stands for: 32768·10^(-dbov/20). 127 (and anything
 * quieter or invalid) is digital silence and maps to 0, so it never passes a threshold.
 */
export function rmsFromDbov(dbov: number): number {
  if (!Number.isFinite(dbov) || dbov >= DBOV_SILENCE) return 0;
  return FULL_SCALE * 10 ** (-Math.max(0, dbov) / 20);
}
