/**
 * LiveKit (v1.13) dispatches an agent only when a room is created. This loop covers
 * the rest with LiveKit's own dispatch API: rooms that were already running when the
 * director started, rooms whose director crashed (its heartbeat went stale), and rooms
 * created by tokens that carry no dispatch.
 */
import type { AgentDispatchClient, Room, RoomServiceClient } from "livekit-server-sdk";
import { isDirectorIdentity, isPerson } from "@/lib/room-state";
import { channelOfRoom } from "@/lib/schemas";
import { lastSign, STALE_MS } from "./dedupe";

/**
 * A room created while a director was registered gets LiveKit's own dispatch, which
 * joins within a few hundred ms (a job is a Room in the director's process, no fork).
 * Give it this long before dispatching again, or a room could get a second director.
 * A room created before this director registered was offered to nobody (LiveKit
 * dispatches only on creation): it needs no grace.
 */
const YOUNG_ROOM_MS = 2000;
/** After dispatching, give the job this long to join before trying again. */
const RETRY_MS = 5000;

export class Reconciler {
  private readonly dispatchedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private active = false;

  constructor(
    private readonly rooms: RoomServiceClient,
    private readonly dispatch: AgentDispatchClient,
    private readonly agentName: string,
    private readonly intervalMs: number,
    private readonly log: (msg: string, f?: Record<string, unknown>) => void,
    /** Rooms this process already directs or has accepted a job for. */
    private readonly isLocal: (room: string) => boolean = () => false,
  ) {}

  /** When this director registered with LiveKit: rooms older than this had no offer. */
  private registeredAt = Number.POSITIVE_INFINITY;

  /** Start (or restart, after re-registering) the loop; the first pass runs at once. */
  start(registeredAt = Date.now()): void {
    this.registeredAt = registeredAt;
    this.stop();
    this.active = true;
    const loop = async () => {
      this.timer = null;
      if (this.running) return;
      this.running = true;
      try {
        await this.once();
      } catch (err) {
        this.log("reconcile failed", { error: err instanceof Error ? err.message : String(err) });
      } finally {
        this.running = false;
        if (this.active && !this.timer) this.timer = setTimeout(loop, this.intervalMs);
      }
    };
    void loop();
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One pass; returns the rooms it dispatched a director to. */
  async once(now = Date.now()): Promise<string[]> {
    const rooms = await this.rooms.listRooms();
    const dispatched: string[] = [];
    await Promise.all(
      rooms.filter((r) => this.candidate(r, now)).map(async (room) => {
        const participants = await this.rooms.listParticipants(room.name);
        const alive = participants.some((p) => isDirectorIdentity(p.identity) && now - lastSign(p) <= STALE_MS);
        const people = participants.some(isPerson);
        if (alive || !people) return;
        this.dispatchedAt.set(room.name, now);
        await this.dispatch.createDispatch(room.name, this.agentName);
        dispatched.push(room.name);
        this.log("dispatched a director", { room: room.name });
      }),
    );
    for (const name of this.dispatchedAt.keys()) {
      if (!rooms.some((r) => r.name === name)) this.dispatchedAt.delete(name);
    }
    return dispatched;
  }

  private candidate(room: Room, now: number): boolean {
    if (channelOfRoom(room.name) === null || room.numParticipants === 0 || this.isLocal(room.name)) return false;
    const created = Number(room.creationTimeMs || room.creationTime * 1000n);
    if (created >= this.registeredAt && now - created < YOUNG_ROOM_MS) return false;
    return now - (this.dispatchedAt.get(room.name) ?? 0) >= RETRY_MS;
  }
}
