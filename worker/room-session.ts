/**
 * One directed room inside the director process: its LiveKit connection, the room
 * input, the pure core and the publisher, plus the duplicate check. The host's clock
 * calls step() every 20 ms frame.
 */
import { Room } from "@livekit/rtc-node";
import type { RoomServiceClient } from "livekit-server-sdk";
import { SpeechStage, type SileroVad } from "@/lib/speech";
import type { SwitchPolicy } from "@/lib/switching/types";
import { RoomCore } from "./core";
import { DuplicateCheck } from "./dedupe";
import { Publisher, type HostHealth } from "./publisher";
import { RoomInput } from "./room-input";

const FIRST_DEDUPE_MS = 1000;
const DEDUPE_EVERY_MS = 5000;
/** The next look when a rival's heartbeat has not been seen advancing yet (it beats every second), or this director was missing from the room. */
const DEDUPE_UNSURE_MS = 1500;

type Log = (msg: string, fields?: Record<string, unknown>) => void;

export interface RoomSessionDeps {
  jobId: string;
  roomName: string;
  url: string;
  token: string;
  policy: SwitchPolicy;
  rooms: RoomServiceClient;
  configForDebug: Record<string, number | string | boolean>;
  /** The process's voice model, once loaded (null before, or if it cannot load). */
  voiceModel(): SileroVad | null;
  log: Log;
  /** called once when the session has ended, whatever ended it */
  onEnded(session: RoomSession): void;
}

/**
 * rtc-node hands every FFI event of the process to every Room's listener, and each
 * Room takes an async lock per event before looking at it: with R rooms in one
 * process, each room event costs R locks (R² per second across the rooms). Pass a
 * Room only what it acts on: its own room events (by handle) and RPC invocations.
 * Audio frames never reach it (worker/audio-tap.ts consumes them). Before the room
 * has a handle (while connecting) everything passes, as rtc-node buffers those events
 * itself. Relies on Room.connect() registering `this.onFfiEvent` as read at call time
 * (rtc-node 0.13); if that changes, this is a no-op and only efficiency is lost.
 */
function onlyOwnEvents(room: Room): void {
  type Ev = { message: { case?: string; value?: { roomHandle?: bigint } } };
  const r = room as unknown as { onFfiEvent?: (ev: Ev) => unknown; ffiHandle?: { handle: bigint } };
  const handler = r.onFfiEvent;
  if (typeof handler !== "function") return;
  r.onFfiEvent = (ev) => {
    const kind = ev.message.case;
    if (kind === "rpcMethodInvocation") return handler(ev);
    if (kind !== "roomEvent") return; // callbacks and media: a Room's handler ignores them
    const own = r.ffiHandle?.handle;
    if (own !== undefined && ev.message.value?.roomHandle !== own) return;
    return handler(ev);
  };
}

export class RoomSession {
  readonly jobId: string;
  readonly roomName: string;
  private readonly room = new Room();
  private core: RoomCore | null = null;
  private input: RoomInput | null = null;
  private publisher: Publisher | null = null;
  private dedupeTimer: NodeJS.Timeout | null = null;
  /** This room's gates and detectors on the process's shared model. */
  private speech: SpeechStage | null = null;
  private ended = false;
  /** wall time the director joined the room (for the join → directed measurement) */
  joinedAt = 0;

  constructor(private readonly deps: RoomSessionDeps) {
    this.jobId = deps.jobId;
    this.roomName = deps.roomName;
    onlyOwnEvents(this.room);
  }

  get identity(): string {
    return this.room.localParticipant?.identity ?? "";
  }

  get participants(): number {
    return this.core?.memberCount ?? 0;
  }

  async start(): Promise<void> {
    const d = this.deps;
    const core = new RoomCore({
      policy: d.policy,
      now: Date.now,
      onDecision: (r) => d.log("decision", { room: d.roomName, program: r.program, previous: r.previous, reason: r.reason, shot: r.shot, seq: r.seq }),
      otherDirectorHere: () => this.input?.otherDirectorHere() ?? true,
    });
    const publisher = new Publisher(core, {
      roomName: d.roomName,
      metadata: () => this.room.metadata ?? "",
      updateMetadata: async (room, metadata) => {
        await d.rooms.updateRoomMetadata(room, metadata);
      },
      localParticipant: () => this.room.localParticipant,
      configForDebug: d.configForDebug,
      log: d.log,
    });
    const speech = () => {
      if (!this.speech) {
        const model = d.voiceModel();
        if (model) this.speech = SpeechStage.withModel(model);
      }
      return this.speech;
    };
    const input = new RoomInput(this.room, core, { onProgramDirty: () => publisher.writeProgram(), speech, log: d.log }, () => this.end());
    input.attach();
    const t0 = performance.now();
    try {
      // Voices only: the room input subscribes to each microphone as it is published.
      await this.room.connect(d.url, d.token, { autoSubscribe: false, dynacast: false });
    } catch (err) {
      d.log("could not join the room", { room: d.roomName, error: String(err) });
      this.end();
      return;
    }
    if (this.ended) {
      await this.room.disconnect().catch(() => undefined);
      return;
    }
    this.joinedAt = Date.now();
    core.adopt(this.room.metadata ?? "");
    this.core = core;
    this.publisher = publisher;
    this.input = input;
    input.start();
    d.log("directing room", {
      room: d.roomName,
      participants: core.memberCount,
      program: core.program?.program ?? null,
      connectMs: Math.round(performance.now() - t0),
    });
    const check = new DuplicateCheck(d.rooms, d.roomName, this.identity, d.log);
    const dedupe = async () => {
      let next = DEDUPE_EVERY_MS;
      try {
        const { stay, unsure, gone } = await check.run();
        if (gone) {
          d.log("this director is no longer in the room (removed, or its connection lost); leaving", { room: d.roomName, self: this.identity });
          this.end();
          return;
        }
        if (!stay) {
          d.log("another director holds this room; leaving", { room: d.roomName, self: this.identity });
          this.end();
          return;
        }
        if (unsure) next = DEDUPE_UNSURE_MS;
      } catch (err) {
        d.log("duplicate check failed", { room: d.roomName, error: String(err) });
      }
      if (!this.ended) this.dedupeTimer = setTimeout(() => void dedupe(), next);
    };
    this.dedupeTimer = setTimeout(() => void dedupe(), FIRST_DEDUPE_MS);
  }

  /** One 20 ms frame at monotonic time `t`. */
  step(t: number): void {
    const core = this.core;
    if (!core || !this.input || this.ended) return;
    core.step(t, this.input.levels(), this.input.speech());
    if (core.programDirty) this.publisher?.writeProgram();
  }

  publish(now: number, health: HostHealth): void {
    if (this.ended || !this.input) return;
    this.publisher?.publishAttributes(now, health, this.input.droppedFrames);
  }

  /** Leave the room (idempotent). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.dedupeTimer) clearTimeout(this.dedupeTimer);
    this.publisher?.stop();
    this.input?.close();
    void this.room.disconnect().catch(() => undefined);
    this.deps.log("room done", { room: this.roomName });
    this.deps.onEnded(this);
  }
}
