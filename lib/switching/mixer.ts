/**
 * The vision mixer: a layer over any switch policy that adds what a director desk has and
 * a policy does not: wide shots, director roles and takes. Pure, like the policies: the
 * director's core and the lab drive it with the same observations.
 *
 * The policy keeps deciding who is on program; the mixer decides the shot and hides who
 * must not be seen. Its decisions are the policy's, with `shot` added, plus its own shot
 * changes (which keep the program: on a wide shot `program` is still the last speaker).
 * So with no roles and no takes, the sequence of programs is exactly the policy's, and a
 * speaker cut is as fast as the policy makes it, whatever the wide rules do.
 *
 * Wide shot (while nobody is pinned):
 *  - free floor: nobody talking for wideAfterMs (cause "silence");
 *  - crosstalk: two or more talking at once for crosstalkMs (cause "crosstalk");
 *  - ping-pong: pingPongCuts speaker cuts within PINGPONG_WINDOW_MS (cause "pingpong"); a
 *    speaker cut is the policy's own cut from one speaker to another (not the first cut
 *    of a meeting, not a leave, a mute, a pin or a take);
 *  - an admin's wide take (cause "take");
 *  - the policy has nobody to show but a `never` participant (cause "never").
 * "Talking" is the policy's talking() (speech evidence of a voice of one's own; speaking()
 * if it has none), held for TALK_HANG_MS across the pauses between words.
 *
 * Back to a speaker shot on the next clear talker: the policy cuts to someone while nobody
 * else talks, or the one on program talks alone for CLEAR_TALKER_MS (PINGPONG_CLEAR_MS after
 * a ping-pong, whose next cut would otherwise come straight back). After an admin's wide
 * take, the talk of the one on program that was going on at the take does not count:
 * they must stop first (the W came at the end of their sentence, or to show the room
 * while they go on), so the room holds until their next talk or someone else's. A pin or
 * a speaker take is a speaker shot at once.
 *
 * Roles: `never` participants are muted to the policy (their levels never reach it), so it
 * never cuts to them and moves off them as off a holder who muted; if it has nobody else,
 * the mixer shows a wide shot with no program rather than them. A pin or a take of them is
 * an admin's explicit choice and is shown. `favor` is the policy's (RolesObservation).
 */
import type { SwitchConfig } from "./config";
import type { Decision, DecisionReason, LevelsObservation, Observation, ParticipantId, Preview, Shot, SwitchPolicy } from "./types";

/** Ping-pong: the cuts counted are those within this window. */
export const PINGPONG_WINDOW_MS = 6000;
/** Talking holds this long past the policy's last "talking" frame (pauses between words). */
export const TALK_HANG_MS = 300;
/** One talker, the one on program, alone this long returns a wide shot to them. */
export const CLEAR_TALKER_MS = 500;
/** ...after a ping-pong: one voice must hold the floor alone this long. */
export const PINGPONG_CLEAR_MS = 2000;

export type WideCause = "silence" | "crosstalk" | "pingpong" | "take" | "never";

export type MixerConfig = Pick<SwitchConfig, "wideAfterMs" | "crosstalkMs" | "pingPongCuts">;

/** Decisions from the policy that count as speaker cuts (not an admin's, not a leave). */
const AUTOMATIC: ReadonlySet<DecisionReason> = new Set(["speech", "takeover", "rule"]);

export class Mixer implements SwitchPolicy {
  readonly name: string;
  private readonly cfg: Readonly<MixerConfig>;
  private programId: ParticipantId | null = null;
  private shotNow: Shot = "speaker";
  private cause: WideCause | null = null;
  private pinnedId: ParticipantId | null = null;
  /** The policy's program came from a pin or a take: shown even if the role is `never`. */
  private adminPut = false;
  private readonly present = new Set<ParticipantId>();
  private readonly never = new Set<ParticipantId>();
  /** Microphones as the room reports them (the policy sees `never` ones muted). */
  private readonly muted = new Map<ParticipantId, boolean>();
  /** Last frame each participant was talking (policy.talking). */
  private readonly lastTalkT = new Map<ParticipantId, number>();
  private lastLevelsT: number | null = null;
  /** Start of the current free floor, or null while someone talks. */
  private quietSinceT: number | null = null;
  private crosstalkRunMs = 0;
  /** While wide: ms the one on program has talked alone. */
  private clearRunMs = 0;
  /** After a wide take: who was on program and talking then, until they stop (see the header). */
  private talkingAtTake: ParticipantId | null = null;
  /** Times of the speaker cuts since the last shot change, oldest first. */
  private cuts: number[] = [];
  /** Who talks in the current frame; refilled each frame (no garbage per frame). */
  private readonly talkersNow: ParticipantId[] = [];
  /**
   * A second policy of the same kind that sees only the `never` participants, as if they
   * were anyone: its speaking() lights their speaking dot on /friends (an interpreter is
   * heard, just never shown). Its decisions are never used. Made with the first `never`.
   */
  private shadow: SwitchPolicy | null = null;

  constructor(
    readonly policy: SwitchPolicy,
    config: MixerConfig,
    /** makes the shadow policy (createDirector passes the room's policy factory) */
    private readonly shadowOf: (() => SwitchPolicy) | null = null,
  ) {
    this.name = policy.name;
    this.cfg = Object.freeze({ wideAfterMs: config.wideAfterMs, crosstalkMs: config.crosstalkMs, pingPongCuts: config.pingPongCuts });
  }

  get program(): ParticipantId | null {
    return this.programId;
  }

  get shot(): Shot {
    return this.shotNow;
  }

  /** Why the shot is wide, or null on a speaker shot. */
  get wideCause(): WideCause | null {
    return this.cause;
  }

  speaking(id: ParticipantId): boolean {
    if (this.never.has(id)) return this.shadow?.speaking(id) ?? false;
    return this.policy.speaking(id);
  }

  talking(id: ParticipantId): boolean {
    return this.policy.talking ? this.policy.talking(id) : this.policy.speaking(id);
  }

  preview(): Preview | null {
    if (this.pinnedId !== null) return null;
    const p = this.policy.preview?.() ?? null;
    return p && !this.never.has(p.id) ? p : null;
  }

  observe(obs: Observation): Decision | null {
    const before = { program: this.programId, shot: this.shotNow };
    let inner: Decision | null = null;
    /** A shot change of the mixer's own, which names the decision. */
    let own: { reason: DecisionReason; evidence: Record<string, number> } | null = null;
    const forward = (o: Observation): void => {
      const d = this.policy.observe(o);
      if (!d) return;
      // Several decisions in one step (a role muting the holder): the last program stands.
      inner = inner ? { ...d, previous: inner.previous, pinCleared: inner.pinCleared || d.pinCleared } : d;
    };

    switch (obs.type) {
      case "join":
        this.present.add(obs.id);
        forward(obs);
        if (this.never.has(obs.id)) {
          forward({ type: "mute", t: obs.t, id: obs.id, muted: true });
          this.shadowJoin(obs.t, obs.id);
        }
        break;
      case "leave":
        if (this.never.has(obs.id)) this.shadow?.observe(obs);
        this.present.delete(obs.id);
        this.muted.delete(obs.id);
        this.lastTalkT.delete(obs.id);
        forward(obs);
        break;
      case "mute":
        this.muted.set(obs.id, obs.muted);
        if (this.never.has(obs.id)) this.shadow?.observe(obs);
        // A `never` participant stays muted to the policy whatever their microphone does.
        forward(this.never.has(obs.id) ? { ...obs, muted: true } : obs);
        break;
      case "pin":
        this.pinnedId = obs.id;
        forward(obs);
        if (obs.id !== null) {
          this.adminPut = true;
          if (this.shotNow === "wide") own = this.toSpeaker("pin", {});
        }
        break;
      case "take":
        if (this.pinnedId !== null || !this.present.has(obs.id)) break;
        forward(obs);
        if (this.policy.program === obs.id) {
          this.adminPut = true;
          if (this.shotNow === "wide") own = this.toSpeaker("take", { take: 1 });
        }
        break;
      case "wide":
        if (this.pinnedId === null && this.shotNow === "speaker") own = this.toWide("take", { take: 1 });
        break;
      case "roles":
        forward(obs);
        this.setNever(obs, forward);
        break;
      case "levels":
        if (this.never.size > 0) {
          forward(this.levelsOf(obs, false));
          this.shadow?.observe(this.levelsOf(obs, true));
        } else forward(obs);
        break;
      default:
        forward(obs);
    }

    const d = inner as Decision | null;
    if (d) {
      // Whoever the policy put on program by itself is subject to the roles again.
      this.adminPut = d.reason === "pin" || d.reason === "take";
      if (d.pinCleared) this.pinnedId = null;
    }
    if (obs.type === "levels") this.updateTalk(obs.t);
    const talkers = obs.type === "levels" ? this.talkers(obs.t) : null;

    if (d && this.pinnedId === null) {
      if (d.reason === "take" && this.shotNow === "wide") own = this.toSpeaker("take", { take: 1 });
      else if (this.shotNow === "speaker" && AUTOMATIC.has(d.reason) && d.program !== null && d.previous !== null && this.cfg.pingPongCuts > 0) {
        this.cuts.push(d.t);
        while (this.cuts.length > 0 && (this.cuts[0] ?? d.t) <= d.t - PINGPONG_WINDOW_MS) this.cuts.shift();
        if (this.cuts.length >= this.cfg.pingPongCuts) own = this.toWide("pingpong", { cuts: this.cuts.length });
      } else if (this.shotNow === "wide" && this.cause !== "pingpong" && d.program !== null && !this.never.has(d.program)) {
        // The policy cut to a talker: back to a speaker shot if nobody else is talking (a
        // cut out of crosstalk waits for the crosstalk to end). A move to someone silent (the
        // holder left, nobody talks) keeps the room on screen.
        const alone = talkers === null ? !this.anyoneTalkingBut(d.program, d.t) : talkers.every((id) => id === d.program);
        const talks = AUTOMATIC.has(d.reason) || (talkers === null ? this.talksNow(d.program, d.t) : talkers.includes(d.program));
        if (alone && talks) own = this.toSpeaker(d.reason, {});
      }
      if (this.shotNow === "wide") this.clearRunMs = 0;
    }

    if (obs.type === "levels" && talkers) {
      const rule = this.wideRules(obs.t, talkers);
      if (rule) own = rule;
    }

    // Someone the policy holds on program whom nobody may see: show the room instead.
    const held = this.policy.program;
    const hidden = held !== null && this.never.has(held) && !this.adminPut && this.pinnedId !== held;
    if (hidden && this.shotNow === "speaker") own = this.toWide("never", {});
    else if (!hidden && held !== null && this.cause === "never") own = this.toSpeaker(d?.reason ?? "rule", {});
    this.programId = hidden ? null : held;

    if (this.programId === before.program && this.shotNow === before.shot) return null;
    const reason = own?.reason ?? d?.reason ?? "rule";
    const evidence = { ...d?.evidence, ...own?.evidence };
    if (this.shotNow === "wide") evidence["wide"] = 1;
    const out: Decision = { t: obs.t, program: this.programId, previous: before.program, reason, evidence, shot: this.shotNow };
    if (d?.pinCleared) out.pinCleared = true;
    return out;
  }

  // ---------------------------------------------------------------------------------

  private setNever(obs: Observation & { type: "roles" }, forward: (o: Observation) => void): void {
    const next = new Set<ParticipantId>();
    for (const [id, role] of Object.entries(obs.roles)) if (role === "never") next.add(id);
    for (const id of next) {
      if (this.never.has(id)) continue;
      this.never.add(id);
      this.lastTalkT.delete(id);
      if (this.present.has(id)) this.shadowJoin(obs.t, id);
      // As if they muted: the policy moves off them if they hold the program.
      if (this.present.has(id)) forward({ type: "mute", t: obs.t, id, muted: true });
    }
    for (const id of [...this.never]) {
      if (next.has(id)) continue;
      this.never.delete(id);
      this.shadow?.observe({ type: "leave", t: obs.t, id });
      // Their levels count again from now, if their microphone is live.
      if (this.present.has(id) && this.muted.get(id) !== true) forward({ type: "mute", t: obs.t, id, muted: false });
    }
  }

  /** A `never` participant enters the shadow policy, with their microphone as it is. */
  private shadowJoin(t: number, id: ParticipantId): void {
    if (!this.shadowOf) return;
    this.shadow ??= this.shadowOf();
    this.shadow.observe({ type: "join", t, id });
    if (this.muted.get(id) === true) this.shadow.observe({ type: "mute", t, id, muted: true });
  }

  /** The observation's levels (and model verdicts) of the `never` participants, or of everyone else. */
  private levelsOf(obs: LevelsObservation, never: boolean): LevelsObservation {
    const keep = (id: ParticipantId) => this.never.has(id) === never;
    const levels: Record<ParticipantId, number> = {};
    for (const [id, v] of Object.entries(obs.levels)) if (keep(id)) levels[id] = v;
    if (!obs.speech) return { ...obs, levels };
    const speech: Record<ParticipantId, number> = {};
    for (const [id, v] of Object.entries(obs.speech)) if (keep(id)) speech[id] = v;
    return { ...obs, levels, speech };
  }

  private updateTalk(t: number): void {
    for (const id of this.present) if (!this.never.has(id) && this.talking(id)) this.lastTalkT.set(id, t);
  }

  /** Who talks now (within TALK_HANG_MS of the policy's last "talking"). */
  private talkers(t: number): ParticipantId[] {
    const out = this.talkersNow;
    out.length = 0;
    for (const [id, at] of this.lastTalkT) if (t - at <= TALK_HANG_MS) out.push(id);
    return out;
  }

  private talksNow(id: ParticipantId, t: number): boolean {
    const at = this.lastTalkT.get(id);
    return at !== undefined && t - at <= TALK_HANG_MS;
  }

  private anyoneTalkingBut(id: ParticipantId, t: number): boolean {
    for (const [other, at] of this.lastTalkT) if (other !== id && t - at <= TALK_HANG_MS) return true;
    return false;
  }

  /** The free-floor, crosstalk and clear-talker clocks, one levels frame at a time. */
  private wideRules(t: number, talkers: readonly ParticipantId[]): { reason: DecisionReason; evidence: Record<string, number> } | null {
    const dt = this.lastLevelsT === null ? 0 : Math.max(0, t - this.lastLevelsT);
    this.lastLevelsT = t;
    if (talkers.length === 0) this.quietSinceT ??= t;
    else this.quietSinceT = null;
    this.crosstalkRunMs = talkers.length >= 2 ? this.crosstalkRunMs + dt : 0;
    if (this.pinnedId !== null) return null;

    if (this.shotNow === "wide") {
      const onProgram = this.programId;
      if (this.talkingAtTake !== null && !talkers.includes(this.talkingAtTake)) this.talkingAtTake = null;
      if (talkers.length === 1 && talkers[0] === onProgram && onProgram !== this.talkingAtTake) this.clearRunMs += dt;
      else if (talkers.length > 0) this.clearRunMs = 0;
      const need = this.cause === "pingpong" ? PINGPONG_CLEAR_MS : CLEAR_TALKER_MS;
      if (onProgram !== null && this.cause !== "never" && this.clearRunMs >= need) {
        return this.toSpeaker("speech", { clearMs: Math.round(this.clearRunMs) });
      }
      return null;
    }
    const { wideAfterMs, crosstalkMs } = this.cfg;
    if (wideAfterMs > 0 && this.quietSinceT !== null && t - this.quietSinceT >= wideAfterMs) {
      return this.toWide("silence", { silentMs: Math.round(t - this.quietSinceT) });
    }
    if (crosstalkMs > 0 && this.crosstalkRunMs >= crosstalkMs) {
      return this.toWide("crosstalk", { crosstalkMs: Math.round(this.crosstalkRunMs), talkers: talkers.length });
    }
    return null;
  }

  /** A shot change starts every shot clock and the ping-pong count again. */
  private newShot(shot: Shot, cause: WideCause | null): void {
    this.shotNow = shot;
    this.cause = cause;
    this.cuts = [];
    this.clearRunMs = 0;
    this.crosstalkRunMs = 0;
    this.talkingAtTake = null;
  }

  private toWide(cause: WideCause, evidence: Record<string, number>): { reason: DecisionReason; evidence: Record<string, number> } {
    this.newShot("wide", cause);
    if (cause === "take" && this.programId !== null && this.talksNow(this.programId, this.lastLevelsT ?? 0)) this.talkingAtTake = this.programId;
    return { reason: cause === "take" ? "take" : "wide", evidence: { ...evidence, [`wide_${cause}`]: 1 } };
  }

  private toSpeaker(reason: DecisionReason, evidence: Record<string, number>): { reason: DecisionReason; evidence: Record<string, number> } {
    this.newShot("speaker", null);
    // The free floor starts again from the cut back (a silence must be wideAfterMs long again).
    if (this.quietSinceT !== null && this.lastLevelsT !== null) this.quietSinceT = this.lastLevelsT;
    return { reason, evidence };
  }
}
