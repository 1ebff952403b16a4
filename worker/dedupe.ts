/**
 * At most one director per room. LiveKit dispatches one job per dispatch, but a
 * reconciliation by two director processes at once, or a restart while the crashed
 * director's participant still lingers, can put two in a room. Every director checks:
 * a director whose heartbeat is stale is removed; among the live ones the smallest
 * identity stays and the others leave. Every director reaches the same verdict.
 *
 * "Live" needs proof before anyone yields to it: its heartbeat must have advanced since
 * this director's previous look. A fresh heartbeat alone is not enough. A director
 * killed a moment after it joined (SIGKILL, an OOM) leaves a heartbeat that looks fresh
 * for STALE_MS; yielding to it left the room with nobody for that long plus a
 * reconciliation (seen in the cluster suite: takeover 10 s instead of none).
 */
import type { ParticipantInfo, RoomServiceClient } from "livekit-server-sdk";
import { ATTR_HEARTBEAT, isDirectorIdentity } from "@/lib/room-state";

export const STALE_MS = 6000;

export function lastSign(p: ParticipantInfo): number {
  const hb = Number(p.attributes[ATTR_HEARTBEAT] ?? "");
  if (Number.isFinite(hb) && hb > 0) return hb;
  return Number(p.joinedAtMs || p.joinedAt * 1000n);
}

export interface Verdict {
  /** directors to remove: no sign of life for STALE_MS */
  stale: string[];
  /** whether `self` stays */
  stay: boolean;
  /** a smaller identity is in the room but not yet proven live: look again soon */
  unsure: boolean;
  /** `self` is among the room's participants, as the server sees them */
  present: boolean;
  /** each director's last sign, to pass as `previous` to the next verdict */
  signs: Map<string, number>;
}

/**
 * Pure verdict: which directors are stale, and whether `self` should stay. `previous`
 * holds the signs seen at the last look; without it no rival is proven live yet.
 */
export function verdict(participants: ParticipantInfo[], self: string, now: number, previous: ReadonlyMap<string, number> = new Map()): Verdict {
  const directors = participants.filter((p) => isDirectorIdentity(p.identity) && p.identity !== self);
  const signs = new Map(directors.map((p) => [p.identity, lastSign(p)]));
  const stale = directors.filter((p) => now - signs.get(p.identity)! > STALE_MS).map((p) => p.identity);
  const smaller = directors.filter((p) => !stale.includes(p.identity) && p.identity < self);
  const proven = smaller.filter((p) => signs.get(p.identity)! > (previous.get(p.identity) ?? Infinity));
  const present = participants.some((p) => p.identity === self);
  return { stale, stay: proven.length === 0, unsure: proven.length === 0 && smaller.length > 0, present, signs };
}

/** One director's look at its room, carrying what it saw to the next look. */
export class DuplicateCheck {
  private previous: ReadonlyMap<string, number> = new Map();

  constructor(
    private readonly rooms: RoomServiceClient,
    private readonly room: string,
    private readonly self: string,
    private readonly log: (msg: string, f?: Record<string, unknown>) => void,
  ) {}

  private absent = 0;

  /**
   * Whether this director stays, and whether to look again soon (a rival not yet proven
   * live, or this director missing from the room once). A director missing from its room
   * on two looks in a row leaves too (`gone`): another director removed it as stale
   * while its connection was moving to another LiveKit node, and rtc-node did not report
   * the disconnect. Directing on, it wrote decisions from an empty room ("holder-left",
   * then a wide shot) and kept the reconciler from dispatching a real director, as its
   * process still held the room (seen in CI's cluster suite).
   */
  async run(): Promise<{ stay: boolean; unsure: boolean; gone: boolean }> {
    const participants = await this.rooms.listParticipants(this.room);
    const { stale, stay, unsure, present, signs } = verdict(participants, this.self, Date.now(), this.previous);
    this.previous = signs;
    this.absent = present ? 0 : this.absent + 1;
    for (const identity of stale) {
      this.log("removing a stale director", { room: this.room, identity });
      await this.rooms.removeParticipant(this.room, identity).catch((err: unknown) => this.log("could not remove the stale director", { room: this.room, identity, error: String(err) }));
    }
    return { stay, unsure: unsure || this.absent === 1, gone: this.absent >= 2 };
  }
}
