/**
 * Shared plumbing for the anchor policies: the anchors only know RTP packets and ticks, so
 * this turns the Observation stream into "packet with level L from P at t" plus periodic
 * ticks at a configurable phase, and keeps the program/decision bookkeeping in one place.
 */
import { DBOV_SILENCE, SPEAKING_DBOV } from "@/lib/switching/level";
import type { Decision, DecisionReason, Observation, ParticipantId, SwitchPolicy } from "@/lib/switching/types";

export abstract class AnchorPolicy implements SwitchPolicy {
  abstract readonly name: string;
  private current: ParticipantId | null = null;
  /** participants connected, in join order (several anchors iterate in a fixed order) */
  protected readonly present: ParticipantId[] = [];
  protected readonly muted = new Set<ParticipantId>();
  private nextTick: number;
  /** each participant's level in the latest frame, for speaking() */
  private readonly lastLevel = new Map<ParticipantId, number>();

  /**
   * @param tickMs the anchor's own decision/poll interval (0: no ticks)
   * @param phaseMs offset of the first tick: real servers start their timers whenever the
   *   room opens, so results are averaged over several phases rather than one lucky one
   */
  constructor(
    protected readonly tickMs: number,
    phaseMs: number,
  ) {
    this.nextTick = tickMs > 0 ? phaseMs : Infinity;
  }

  get program(): ParticipantId | null {
    return this.current;
  }

  /** The anchors have no notion of speech: a level above SPEAKING_DBOV in the latest frame. */
  speaking(id: ParticipantId): boolean {
    return !this.muted.has(id) && (this.lastLevel.get(id) ?? DBOV_SILENCE) <= SPEAKING_DBOV;
  }

  observe(obs: Observation): Decision | null {
    // Ticks due before this observation run first, on the state as it was then.
    while (obs.t >= this.nextTick) {
      this.tick(this.nextTick);
      this.nextTick += this.tickMs;
    }
    switch (obs.type) {
      case "join":
        if (!this.present.includes(obs.id)) this.present.push(obs.id);
        this.onJoin(obs.id, obs.t);
        break;
      case "leave": {
        const i = this.present.indexOf(obs.id);
        if (i >= 0) this.present.splice(i, 1);
        this.muted.delete(obs.id);
        this.onLeave(obs.id, obs.t);
        break;
      }
      case "mute":
        if (obs.muted) this.muted.add(obs.id);
        else this.muted.delete(obs.id);
        this.onMute(obs.id, obs.muted, obs.t);
        break;
      case "levels":
        this.lastLevel.clear();
        for (const [id, level] of Object.entries(obs.levels)) {
          this.lastLevel.set(id, level);
          // A level from someone we never saw join still counts: the SFU sees the packet.
          if (!this.present.includes(id)) this.present.push(id);
          if (!this.muted.has(id)) this.onPacket(id, level, obs.t);
        }
        this.onFrame(obs.t);
        break;
      default:
        break;
    }
    // If several cuts happened in one call, the last one is the program now.
    return this.pending();
  }

  private queued: Decision | null = null;

  /** Switch the program; returns the decision (also queued for observe() to return). */
  protected cut(t: number, to: ParticipantId | null, reason: DecisionReason = "rule", evidence: Record<string, number> = {}): Decision | null {
    if (to === this.current) return null;
    const d: Decision = { t, program: to, previous: this.current, reason, evidence };
    this.current = to;
    this.queued = d;
    return d;
  }

  private pending(): Decision | null {
    const d = this.queued;
    this.queued = null;
    return d;
  }

  protected onJoin(_id: ParticipantId, _t: number): void {}
  protected onLeave(_id: ParticipantId, _t: number): void {}
  protected onMute(_id: ParticipantId, _muted: boolean, _t: number): void {}
  /** one RTP packet's RFC 6464 level (dBov, 0 loudest) */
  protected abstract onPacket(id: ParticipantId, dbov: number, t: number): void;
  /** after every 20 ms levels observation */
  protected onFrame(_t: number): void {}
  protected tick(_t: number): void {}
}
