/**
 * The director's pure core for one room: program state, pin merging and the switch
 * policy, stepped one 20 ms frame at a time by the host's clock (worker/clock.ts).
 *
 * It knows nothing of LiveKit: the room input (worker/room-input.ts) turns room events
 * into calls here, and the publisher (worker/publisher.ts) writes what it holds. So the
 * whole decision path is unit-tested with a fake room and a fake clock
 * (tests/unit/director-core.test.ts).
 *
 * Why the program lives in room metadata: every client already receives it (viewer,
 * participants' full-screen mode, the egress layout), the server API reads it for all
 * rooms in one listRooms call (/status), and it outlives the director, so when the
 * director restarts screens keep the last program until it decides again.
 *
 * The vision mixer's admin inputs live there too (`roles`, `take`, `shotLength`): the core
 * reads them on adopt and on every metadata change, so roles and a shot length survive a
 * director restart. Each is applied once by its `at`; a take already there when the
 * director joined is history, not an instruction, and is not applied again.
 */
import { ACTIVITY_MAX, parsePin, TREND_BUCKET_MS, TREND_BUCKETS, withPin, type Activity } from "@/lib/room-state";
import { parseProgram, withProgram, type ProgramState } from "@/lib/room-state";
import {
  parseRoles,
  parseShotLength,
  parseTake,
  withRoles,
  withShotLength,
  withTake,
  type Roles,
  type ShotLength,
  type Take,
} from "@/lib/room-state";
import { DBOV_SILENCE } from "@/lib/switching/level";
import type { Decision, Observation, ParticipantId, SwitchPolicy } from "@/lib/switching/types";
import { DecisionLog, LevelHistory, type DecisionRecord } from "./history";

export const FRAME_MS = 20;
/** 20 ms frames per bucket of the 2-minute trend /friends draws. */
const FRAMES_PER_TREND_BUCKET = TREND_BUCKET_MS / FRAME_MS;

export type QualityName = "excellent" | "good" | "poor" | "lost" | "unknown";

/** Room events as the core sees them; `t` is stamped when the next frame applies them. */
type PendingObservation = Observation extends infer O ? (O extends { t: number } ? Omit<O, "t"> : never) : never;

export interface MemberView {
  readonly id: ParticipantId;
  readonly name: string;
  /** microphone muted, unpublished or not yet subscribed */
  readonly muted: boolean;
  /** the level of the latest frame, dBov (127 = silence) */
  readonly level: number;
  /** last 10 s of levels, for /debug */
  readonly history: LevelHistory;
  /** last 2 minutes, the loudest level per 500 ms bucket, for /friends */
  readonly trend: LevelHistory;
}

interface Member extends MemberView {
  name: string;
  muted: boolean;
  level: number;
  bucketMin: number;
}

export interface CoreOptions {
  policy: SwitchPolicy;
  /** Wall clock (ms since the epoch) for `since` and the decision log. */
  now(): number;
  /** Told of every decision, for the process log. */
  onDecision?(record: DecisionRecord): void;
  /**
   * Whether another director is in the room now. A newer program of another director is
   * left alone while one is (two can overlap until dedupe; fighting would ping-pong),
   * and superseded when none is: it was the last write of one that has gone.
   */
  otherDirectorHere?(): boolean;
}

function sameProgram(a: ProgramState | null, b: ProgramState): boolean {
  return (
    a !== null &&
    a.seq === b.seq &&
    a.program === b.program &&
    a.pinned === b.pinned &&
    a.since === b.since &&
    a.reason === b.reason &&
    a.shot === b.shot
  );
}

/** The preview lane as the core holds it: progress rounded, so an unchanged lane is not republished. */
export interface PreviewView {
  identity: ParticipantId | null;
  progress: number;
}

export class RoomCore {
  readonly policy: SwitchPolicy;
  private readonly now: () => number;
  private readonly otherDirectorHere: () => boolean;
  /** The room's metadata as last seen (a metadata event), for directorLeft(). */
  private lastMetadata = "";
  private readonly onDecision: ((record: DecisionRecord) => void) | undefined;
  private readonly members = new Map<ParticipantId, Member>();
  private readonly pending: PendingObservation[] = [];
  readonly decisions = new DecisionLog(100);
  private state: ProgramState | null = null;
  private pinned: ParticipantId | null = null;
  /** the newest pin seen (its `at`), so a stale copy of the metadata cannot undo it */
  private pinAt = 0;
  /** the newest roles, take and shot length seen, kept to write back like the pin */
  private roles: Roles | null = null;
  private take: Take | null = null;
  private shotLength: ShotLength | null = null;
  /** adopt() has run: takes seen from now on are applied (earlier ones are history) */
  private adopted = false;
  private frameNo = 0;
  private readonly activityLog: Activity[] = [];
  private readonly qualities = new Map<ParticipantId, QualityName>();
  /** Set when the room's metadata no longer shows our newest program or pin. */
  programDirty = false;
  activityDirty = false;
  qualityDirty = false;

  constructor(opts: CoreOptions) {
    this.policy = opts.policy;
    this.now = opts.now;
    this.onDecision = opts.onDecision;
    this.otherDirectorHere = opts.otherDirectorHere ?? (() => true);
  }

  /**
   * The room's metadata as the director found it on joining: screens keep its program
   * until the policy decides, and the sequence continues from it. Called once, after
   * the connection is up (room events may have reached the core before).
   */
  adopt(metadata: string): void {
    this.state ??= parseProgram(metadata);
    // A take already in the metadata was for the director before us: do not replay it.
    const take = parseTake(metadata);
    if (take && take.at > (this.take?.at ?? 0)) this.take = take;
    this.adopted = true;
    // If the program on screen belongs to someone who left while no director ran, the
    // first frame moves on (a leave of someone never seen is a no-op for the policy).
    const onScreen = this.state?.program;
    if (onScreen && !this.members.has(onScreen)) this.pending.push({ type: "leave", id: onScreen });
    this.metadata(metadata, true);
  }

  get program(): ProgramState | null {
    return this.state;
  }

  get memberCount(): number {
    return this.members.size;
  }

  memberList(): IterableIterator<MemberView> {
    return this.members.values();
  }

  has(id: ParticipantId): boolean {
    return this.members.has(id);
  }

  nameOf(id: ParticipantId): string | null {
    return this.members.get(id)?.name ?? null;
  }

  get activity(): readonly Activity[] {
    return this.activityLog;
  }

  quality(): Record<ParticipantId, QualityName> {
    const q: Record<ParticipantId, QualityName> = {};
    for (const [id, name] of this.qualities) if (this.members.has(id)) q[id] = name;
    return q;
  }

  /** A non-hidden participant joined; their microphone counts as muted until it is live. */
  join(id: ParticipantId, name: string): void {
    if (this.members.has(id)) return;
    this.members.set(id, {
      id,
      name: name || id,
      muted: true,
      level: DBOV_SILENCE,
      history: new LevelHistory(),
      trend: new LevelHistory(TREND_BUCKETS),
      bucketMin: DBOV_SILENCE,
    });
    // A leave queued for this identity (the program on screen at start) is void now.
    const i = this.pending.findIndex((o) => o.type === "leave" && o.id === id);
    if (i >= 0) this.pending.splice(i, 1);
    this.pending.push({ type: "join", id, name: name || id }, { type: "mute", id, muted: true });
  }

  leave(id: ParticipantId): void {
    if (!this.members.delete(id)) return;
    if (this.qualities.delete(id)) this.qualityDirty = true;
    this.pending.push({ type: "leave", id });
  }

  mute(id: ParticipantId, muted: boolean): void {
    const m = this.members.get(id);
    if (!m) return;
    m.muted = muted;
    this.pending.push({ type: "mute", id, muted });
  }

  speakers(ids: readonly ParticipantId[]): void {
    this.pending.push({ type: "speakers", ids: ids.filter((id) => this.members.has(id)) });
  }

  setQuality(id: ParticipantId, q: QualityName): void {
    if (!this.members.has(id) || this.qualities.get(id) === q) return;
    this.qualities.set(id, q);
    this.qualityDirty = true;
  }

  addActivity(a: Activity): void {
    this.activityLog.push(a);
    this.activityLog.sort((x, y) => x.at - y.at);
    if (this.activityLog.length > ACTIVITY_MAX) this.activityLog.splice(0, this.activityLog.length - ACTIVITY_MAX);
    this.activityDirty = true;
  }

  /**
   * The room's metadata changed (an admin's pin, our own write, another director's).
   * An admin's read-modify-write may carry a program older than ours if we decided in
   * between: write ours back so no screen keeps a stale one. Only an older program is
   * repaired: a newer one is another director's (two can overlap for a moment until
   * dedupe), and fighting it would ping-pong writes. Likewise a write of ours from a
   * copy that predates an admin's pin drops the pin: write the newest pin back.
   */
  metadata(md: string, onJoin = false): void {
    const current = parseProgram(md);
    const seq = current?.seq ?? -1;
    // The same seq with another program: a director that lost its room (a LiveKit node
    // died) wrote its last decision into the room's new home; ours must win.
    const conflict = seq === this.state?.seq && !sameProgram(current, this.state);
    if (this.state && (seq < this.state.seq || conflict || (seq === this.state.seq && this.adminInputsStale(md)))) {
      this.programDirty = true;
    }
    this.lastMetadata = md;
    this.supersedeGone(md);
    this.mixerInputs(md, onJoin);
    this.pinInput(md);
  }

  /**
   * The metadata an admin input was just written into, sent by the app directly
   * (ADMIN_INPUT_TOPIC): LiveKit coalesces quick successive metadata updates, so a
   * write of ours from an older copy can replace the app's before we see it. Its pin,
   * roles, take and shot length count as a metadata event's would; its program does not
   * (the app's copy may be older than ours). When `current`, our copy of the room's
   * metadata, lacks what we now know, write it back beside the program.
   */
  adminInputs(md: string, current: string): void {
    this.mixerInputs(md, false);
    this.pinInput(md);
    if (this.state && this.adminInputsStale(current)) this.programDirty = true;
  }

  private pinInput(md: string): void {
    const pin = parsePin(md);
    if (!pin || pin.at <= this.pinAt) return;
    this.pinAt = pin.at;
    if (pin.identity === this.pinned) return;
    const previous = this.pinned;
    this.pinned = pin.identity;
    this.pending.push({ type: "pin", id: pin.identity });
    const who = pin.identity ?? previous;
    this.addActivity({
      at: pin.at,
      kind: pin.identity ? "pin" : "unpin",
      identity: who,
      name: who ? this.nameOf(who) : null,
      detail: "admin",
    });
  }

  /**
   * Roles, a take and a shot length newer than those seen become observations, and
   * entries in the activity log (/friends), except what was already set when the
   * director joined (`onJoin`): that is history, not an admin acting now.
   */
  private mixerInputs(md: string, onJoin: boolean): void {
    const log = this.adopted && !onJoin;
    const roles = parseRoles(md);
    if (roles && roles.at > (this.roles?.at ?? 0)) {
      const before = this.roles?.roles ?? {};
      this.roles = roles;
      this.pending.push({ type: "roles", roles: roles.roles });
      if (log) {
        for (const id of new Set([...Object.keys(before), ...Object.keys(roles.roles)])) {
          const role = roles.roles[id] ?? "auto";
          if ((before[id] ?? "auto") !== role) this.addActivity({ at: roles.at, kind: "role", identity: id, name: this.nameOf(id), detail: role });
        }
      }
    }
    const shotLength = parseShotLength(md);
    if (shotLength && shotLength.at > (this.shotLength?.at ?? 0)) {
      this.shotLength = shotLength;
      this.pending.push({ type: "shotLength", ms: shotLength.ms });
      const detail = shotLength.ms === null ? "default" : `${(shotLength.ms / 1000).toFixed(1)} s`;
      if (log) this.addActivity({ at: shotLength.at, kind: "shot_length", identity: null, name: null, detail });
    }
    const take = parseTake(md);
    if (take && take.at > (this.take?.at ?? 0)) {
      this.take = take;
      // Before adopt() a take is history (see adopt); someone not in the room is ignored.
      if (!this.adopted) return;
      if (take.shot === "wide") {
        this.pending.push({ type: "wide" });
        if (log) this.addActivity({ at: take.at, kind: "wide", identity: null, name: null, detail: "admin" });
      } else if (take.identity !== null && this.members.has(take.identity)) {
        this.pending.push({ type: "take", id: take.identity });
        if (log) this.addActivity({ at: take.at, kind: "take", identity: take.identity, name: this.nameOf(take.identity), detail: "admin" });
      }
    }
  }

  /**
   * A newer program than ours, from another director, while no other director is here:
   * the last write of one that has left (removed as stale mid-reconnect, its HTTP write
   * landing after ours). Nobody would ever correct it, so ours goes on screen again,
   * with a newer seq (metadataToWrite). Seen in CI's cluster suite: a departing
   * director's "holder-left" and "wide" (seq 2, 3) over the survivor's cut (seq 2).
   */
  private supersedeGone(md: string): void {
    const current = parseProgram(md);
    if (!this.state || !current || current.seq <= this.state.seq || sameProgram(current, this.state)) return;
    if (!this.otherDirectorHere()) this.programDirty = true;
  }

  /** Another director left the room: its last write may now be ours to correct. */
  directorLeft(): void {
    this.supersedeGone(this.lastMetadata);
  }

  /** `md` lacks the newest pin, roles, take or shot length we have seen (a stale copy was written). */
  private adminInputsStale(md: string): boolean {
    return (
      this.pinAt > (parsePin(md)?.at ?? 0) ||
      (this.roles?.at ?? 0) > (parseRoles(md)?.at ?? 0) ||
      (this.take?.at ?? 0) > (parseTake(md)?.at ?? 0) ||
      (this.shotLength?.at ?? 0) > (parseShotLength(md)?.at ?? 0)
    );
  }

  /**
   * The preview lane: who the policy is gathering evidence for, and how far (rounded to
   * hundredths, so a lane that has not moved reads the same).
   */
  preview(): PreviewView {
    const p = this.policy.preview?.() ?? null;
    if (!p || !this.members.has(p.id)) return { identity: null, progress: 0 };
    return { identity: p.id, progress: Math.round(Math.min(1, Math.max(0, p.progress)) * 100) / 100 };
  }

  /**
   * One 20 ms frame at time `t` (monotonic ms). `levels` holds the level of every live
   * microphone; `speech` the voice model's probability where it ran. Events since the
   * last frame are applied at this frame's time, so the policy sees one ordered stream.
   */
  step(t: number, levels: Readonly<Record<ParticipantId, number>>, speech?: Readonly<Record<ParticipantId, number>>): void {
    for (const obs of this.pending.splice(0)) this.apply(this.policy.observe({ ...obs, t } as Observation));
    // A pin on whoever already holds the program changes no decision; still show it.
    if (this.state && this.state.pinned !== this.pinned) {
      this.state = { ...this.state, pinned: this.pinned, seq: this.state.seq + 1 };
      this.programDirty = true;
    }
    const bucketDone = ++this.frameNo % FRAMES_PER_TREND_BUCKET === 0;
    for (const m of this.members.values()) {
      const level = m.muted ? DBOV_SILENCE : (levels[m.id] ?? DBOV_SILENCE);
      m.level = level;
      m.history.push(level);
      m.bucketMin = Math.min(m.bucketMin, level);
      if (bucketDone) {
        m.trend.push(m.bucketMin);
        m.bucketMin = DBOV_SILENCE;
      }
    }
    this.apply(this.policy.observe(speech ? { type: "levels", t, levels, speech } : { type: "levels", t, levels }));
  }

  private apply(d: Decision | null): void {
    if (!d) return;
    const seq = (this.state?.seq ?? 0) + 1;
    const at = this.now();
    // The policy drops a pin on someone who left; say so on every screen.
    if (d.pinCleared) this.pinned = null;
    const prev = this.state;
    this.state = {
      program: d.program,
      name: d.program ? this.nameOf(d.program) : null,
      // A change of shot alone keeps the participant's time on program.
      since: prev && prev.program === d.program ? prev.since : at,
      reason: d.reason,
      seq,
      pinned: this.pinned,
      shot: d.shot ?? "speaker",
    };
    const record = this.decisions.add(d, at, seq);
    this.programDirty = true;
    this.onDecision?.(record);
  }

  /**
   * The metadata to write so the room shows our newest program and pin, or null when
   * `current` already does. Pure: the publisher calls it just before each write, so
   * only the newest state is ever written, merged into whatever else the room holds.
   */
  metadataToWrite(current: string): string | null {
    const state = this.state;
    if (!state) return null;
    // Our copy of the metadata may predate an admin's pin (roles, take, shot length) that
    // we have already seen (or may see later): always write the newest we know beside
    // the program.
    const stale = this.adminInputsStale(current);
    const onScreen = parseProgram(current);
    if (sameProgram(onScreen, state) && !stale) return null;
    // Screens drop an update whose seq is not newer than theirs: supersede what is there.
    if (onScreen && onScreen.seq >= state.seq && !sameProgram(onScreen, state)) {
      this.state = { ...state, seq: onScreen.seq + 1 };
      return this.metadataToWrite(current);
    }
    let next = withProgram(current, state);
    if (this.pinAt > (parsePin(current)?.at ?? 0)) next = withPin(next, { identity: this.pinned, at: this.pinAt });
    if (this.roles && this.roles.at > (parseRoles(current)?.at ?? 0)) next = withRoles(next, this.roles);
    if (this.take && this.take.at > (parseTake(current)?.at ?? 0)) next = withTake(next, this.take);
    if (this.shotLength && this.shotLength.at > (parseShotLength(current)?.at ?? 0)) next = withShotLength(next, this.shotLength);
    return next;
  }
}
