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
 */
import { ACTIVITY_MAX, parsePin, TREND_BUCKET_MS, TREND_BUCKETS, withPin, type Activity } from "@/lib/director-state";
import { parseProgram, withProgram, type ProgramState } from "@/lib/program";
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
}

function sameProgram(a: ProgramState | null, b: ProgramState): boolean {
  return a !== null && a.seq === b.seq && a.program === b.program && a.pinned === b.pinned && a.since === b.since && a.reason === b.reason;
}

export class RoomCore {
  readonly policy: SwitchPolicy;
  private readonly now: () => number;
  private readonly onDecision: ((record: DecisionRecord) => void) | undefined;
  private readonly members = new Map<ParticipantId, Member>();
  private readonly pending: PendingObservation[] = [];
  readonly decisions = new DecisionLog(100);
  private state: ProgramState | null = null;
  private pinned: ParticipantId | null = null;
  /** the newest pin seen (its `at`), so a stale copy of the metadata cannot undo it */
  private pinAt = 0;
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
  }

  /**
   * The room's metadata as the director found it on joining: screens keep its program
   * until the policy decides, and the sequence continues from it. Called once, after
   * the connection is up (room events may have reached the core before).
   */
  adopt(metadata: string): void {
    this.state ??= parseProgram(metadata);
    // If the program on screen belongs to someone who left while no director ran, the
    // first frame moves on (a leave of someone never seen is a no-op for the policy).
    const onScreen = this.state?.program;
    if (onScreen && !this.members.has(onScreen)) this.pending.push({ type: "leave", id: onScreen });
    this.metadata(metadata);
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
  metadata(md: string): void {
    const pin = parsePin(md);
    const current = parseProgram(md);
    const seq = current?.seq ?? -1;
    // The same seq with another program: a director that lost its room (a LiveKit node
    // died) wrote its last decision into the room's new home; ours must win.
    const conflict = seq === this.state?.seq && !sameProgram(current, this.state);
    if (this.state && (seq < this.state.seq || conflict || (seq === this.state.seq && this.pinAt > (pin?.at ?? 0)))) {
      this.programDirty = true;
    }
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
    this.state = {
      program: d.program,
      name: d.program ? this.nameOf(d.program) : null,
      since: at,
      reason: d.reason,
      seq,
      pinned: this.pinned,
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
    // Our copy of the metadata may predate an admin's pin that we have already seen
    // (or may see later): always write the newest pin we know beside the program.
    const pinStale = this.pinAt > (parsePin(current)?.at ?? 0);
    const onScreen = parseProgram(current);
    if (sameProgram(onScreen, state) && !pinStale) return null;
    // Screens drop an update whose seq is not newer than theirs: supersede what is there.
    if (onScreen && onScreen.seq >= state.seq && !sameProgram(onScreen, state)) {
      this.state = { ...state, seq: onScreen.seq + 1 };
      return this.metadataToWrite(current);
    }
    const next = withProgram(current, state);
    return pinStale ? withPin(next, { identity: this.pinned, at: this.pinAt }) : next;
  }
}
