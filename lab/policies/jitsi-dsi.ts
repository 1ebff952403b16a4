/**
 * Jitsi's dominant speaker identification, re-implemented from jitsi/jitsi-utils
 * src/main/java/org/jitsi/utils/dsi/DominantSpeakerIdentification.java (after Volfin & Cohen,
 * "Dominant Speaker Identification for Multipoint Videoconferencing"), with its constants:
 * C1 3, C2 2, C3 0; N1 13, N2 5, N3 10; thresholds 7 (medium) and 4 (long); lambdas 0.78,
 * 24, 47; a 15 s minimum-level window; a 40 ms level idle timeout; a 300 ms decision tick.
 *
 * Input levels: jitsi-videobridge's AudioLevelReader hands DSI `127 - dBov` (so 0 is
 * silence) and drops packets at the muted level 127; we do the same.
 */
import type { ParticipantId } from "@/lib/switching/types";
import { AnchorPolicy } from "./common";

export const DSI = {
  C1: 3,
  C2: 2,
  C3: 0,
  DECISION_INTERVAL_MS: 300,
  LEVEL_IDLE_TIMEOUT_MS: 40,
  LONG_COUNT: 1,
  LONG_THRESHOLD: 4,
  MAX_LEVEL: 127,
  MIN_LEVEL: 0,
  MIN_LEVEL_WINDOW_LENGTH: (15 * 1000) / 20,
  MIN_SPEECH_ACTIVITY_SCORE: 1e-10,
  MEDIUM_THRESHOLD: 7,
  N1: 13,
  N2: 5,
  N3: 10,
} as const;
const N1_SUBUNIT_LENGTH = Math.floor((DSI.MAX_LEVEL - DSI.MIN_LEVEL + DSI.N1 - 1) / DSI.N1);

/** Java's (byte) cast: the source stores levels in signed bytes and relies on it. */
const toByte = (x: number): number => ((((Math.trunc(x) + 128) % 256) + 256) % 256) - 128;

/** The source's integer binomial coefficient (exact for these small n). */
export function binomialCoefficient(n: number, r: number): number {
  const m = n - r;
  if (r < m) r = m;
  let t = 1;
  for (let i = n, j = 1; i > r; i--, j++) t = Math.floor((t * i) / j);
  return t;
}

export function speechActivityScore(vL: number, nR: number, lambda: number): number {
  const p = 0.5;
  const s = Math.log(binomialCoefficient(nR, vL)) + vL * Math.log(p) + (nR - vL) * Math.log(1 - p) - Math.log(lambda) + lambda * vL;
  return s < DSI.MIN_SPEECH_ACTIVITY_SCORE ? DSI.MIN_SPEECH_ACTIVITY_SCORE : s;
}

function computeBigs(littles: readonly number[], bigs: number[], threshold: number): void {
  const per = Math.floor(littles.length / bigs.length);
  for (let b = 0, l = 0; b < bigs.length; b++) {
    let sum = 0;
    for (const end = l + per; l < end; l++) if ((littles[l] ?? 0) > threshold) sum++;
    bigs[b] = sum;
  }
}

export class DsiSpeaker {
  readonly levels: number[] = new Array<number>(DSI.LONG_COUNT * DSI.N3 * DSI.N2).fill(0);
  readonly immediates: number[] = new Array<number>(this.levels.length).fill(0);
  readonly mediums: number[] = new Array<number>(DSI.LONG_COUNT * DSI.N3).fill(0);
  readonly longs: number[] = new Array<number>(DSI.LONG_COUNT).fill(0);
  minLevel: number = DSI.MIN_LEVEL;
  private nextMinLevel: number = DSI.MIN_LEVEL;
  private nextMinLevelWindowLength = 0;
  lastLevelChangedTime: number;
  scores: [number, number, number] = [DSI.MIN_SPEECH_ACTIVITY_SCORE, DSI.MIN_SPEECH_ACTIVITY_SCORE, DSI.MIN_SPEECH_ACTIVITY_SCORE];

  constructor(
    readonly id: ParticipantId,
    now: number,
  ) {
    this.lastLevelChangedTime = now;
  }

  /** Speaker.levelChanged: newest level first; late levels are dropped. */
  levelChanged(level: number, time: number): void {
    if (this.lastLevelChangedTime > time) return;
    this.lastLevelChangedTime = time;
    const b = Math.min(DSI.MAX_LEVEL, Math.max(DSI.MIN_LEVEL, level));
    this.levels.pop();
    this.levels.unshift(b);
    this.updateMinLevel(b);
  }

  /** Speaker.levelTimedOut: a silent level, without moving the time forward. */
  levelTimedOut(): void {
    this.levelChanged(DSI.MIN_LEVEL, this.lastLevelChangedTime);
  }

  private updateMinLevel(level: number): void {
    if (level === DSI.MIN_LEVEL) return;
    if (this.minLevel === DSI.MIN_LEVEL || this.minLevel > level) {
      this.minLevel = level;
      this.nextMinLevel = DSI.MIN_LEVEL;
      this.nextMinLevelWindowLength = 0;
    } else if (this.nextMinLevel === DSI.MIN_LEVEL) {
      this.nextMinLevel = level;
      this.nextMinLevelWindowLength = 1;
    } else {
      if (this.nextMinLevel > level) this.nextMinLevel = level;
      this.nextMinLevelWindowLength++;
      if (this.nextMinLevelWindowLength >= DSI.MIN_LEVEL_WINDOW_LENGTH) {
        // Geometric mean: the floor rises slowly, on purpose.
        const m = Math.sqrt(this.minLevel * this.nextMinLevel);
        this.minLevel = toByte(Math.min(DSI.MAX_LEVEL, Math.max(DSI.MIN_LEVEL, m)));
        this.nextMinLevel = DSI.MIN_LEVEL;
        this.nextMinLevelWindowLength = 0;
      }
    }
  }

  /** evaluateSpeechActivityScores: immediates → mediums → longs → three scores. */
  evaluate(): void {
    // The speaker's own floor plus one sub-band counts as absolute silence (a byte, as in Java).
    const floor = toByte(this.minLevel + N1_SUBUNIT_LENGTH);
    for (let i = 0; i < this.immediates.length; i++) {
      let level = this.levels[i] ?? 0;
      if (level < floor) level = DSI.MIN_LEVEL;
      this.immediates[i] = Math.trunc(level / N1_SUBUNIT_LENGTH);
    }
    computeBigs(this.immediates, this.mediums, DSI.MEDIUM_THRESHOLD);
    computeBigs(this.mediums, this.longs, DSI.LONG_THRESHOLD);
    this.scores = [
      speechActivityScore(this.immediates[0] ?? 0, DSI.N1, 0.78),
      speechActivityScore(this.mediums[0] ?? 0, DSI.N2, 24),
      speechActivityScore(this.longs[0] ?? 0, DSI.N3, 47),
    ];
  }
}

export class JitsiDsiPolicy extends AnchorPolicy {
  readonly name = "jitsi-dsi";
  /** insertion order stands in for Java HashMap order when a dominant is "nominated at random" */
  readonly speakers = new Map<ParticipantId, DsiSpeaker>();
  private dominantId: ParticipantId | null = null;
  private lastIdleCheck = -Infinity;

  constructor(phaseMs = 0) {
    super(DSI.DECISION_INTERVAL_MS, phaseMs);
  }

  protected onPacket(id: ParticipantId, dbov: number, t: number): void {
    if (dbov >= 127) return; // AudioLevelReader drops the muted level
    let s = this.speakers.get(id);
    if (!s) {
      s = new DsiSpeaker(id, t);
      this.speakers.set(id, s);
    }
    s.levelChanged(127 - dbov, t);
  }

  protected override onFrame(t: number): void {
    // runInDecisionMaker wakes every LEVEL_IDLE_TIMEOUT and pushes one silent level for each
    // speaker that has had no packet for longer than that.
    if (t - this.lastIdleCheck < DSI.LEVEL_IDLE_TIMEOUT_MS) return;
    this.lastIdleCheck = t;
    for (const s of this.speakers.values()) {
      if (t - s.lastLevelChangedTime > DSI.LEVEL_IDLE_TIMEOUT_MS) s.levelTimedOut();
    }
  }

  protected override onLeave(id: ParticipantId, t: number): void {
    this.speakers.delete(id);
    if (this.program === id) this.cut(t, null, "holder-left");
  }

  /** makeDecision, without silence detection (the class's default). */
  protected override tick(t: number): void {
    if (this.speakers.size === 0) return;
    let newDominant: ParticipantId;
    if (this.speakers.size === 1) {
      newDominant = [...this.speakers.keys()][0] as ParticipantId;
    } else {
      let dominant = this.dominantId === null ? undefined : this.speakers.get(this.dominantId);
      if (!dominant) {
        dominant = [...this.speakers.values()][0] as DsiSpeaker;
      }
      newDominant = dominant.id;
      dominant.evaluate();
      let bestC2: number = DSI.C2;
      for (const s of this.speakers.values()) {
        if (s === dominant) continue;
        s.evaluate();
        const rel = s.scores.map((v, i) => Math.log(v / (dominant.scores[i] ?? DSI.MIN_SPEECH_ACTIVITY_SCORE)));
        const [c1, c2, c3] = [rel[0] ?? 0, rel[1] ?? 0, rel[2] ?? 0];
        // All three time scales must favour the challenger; among several, the one with
        // the highest medium-term relative activity wins.
        if (c1 > DSI.C1 && c2 > DSI.C2 && c3 > DSI.C3 && c2 > bestC2) {
          bestC2 = c2;
          newDominant = s.id;
        }
      }
    }
    if (newDominant !== this.dominantId) {
      this.dominantId = newDominant;
      this.cut(t, newDominant, "rule");
    }
  }
}
