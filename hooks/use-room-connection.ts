"use client";
/**
 * One connection to a LiveKit room, as the participant page and /viewer make it: the
 * Room, its connection state, the failure or the end, and what happens when LiveKit
 * loses it for good. What is each page's own (devices, publishing, the token's role)
 * comes in as a ConnectionPlan; everything else is here once.
 *
 * One mount is one attempt: a retry after a failure is a remount with a new key.
 * Strict mode runs the effect twice; the first run is cancelled at its next await and
 * releases whatever it had acquired, so only one connection survives.
 *
 * The Room exists from the first render (not yet connected), so the page can hand it
 * to LiveKit's RoomContext and use its hooks from the start; a rejoin after LiveKit
 * lost the session for good connects a new Room, which replaces it.
 */
import { useEffect, useReducer, useRef, type DependencyList } from "react";
import { ConnectionError, DisconnectReason, Room, RoomEvent, type RoomConnectOptions } from "livekit-client";
import { ServerUnreachableError, describeFailure, type Failure } from "@/lib/client/failures";
import { isDeliberateDisconnect, rejoinDelayMs, sleep } from "@/lib/client/heal";
import type { TokenResponse } from "@/lib/schemas";

/**
 * The page's connection state. Not LiveKit's useConnectionState: that follows one Room,
 * while this one spans a rejoin (a new Room) as "reconnecting", and for a participant
 * says "connected" only once the camera and microphone are published.
 */
export type ConnState = "connecting" | "connected" | "reconnecting" | "disconnected";

export interface RoomConnection {
  state: ConnState;
  /** The current Room: not yet connected while `state` is "connecting". */
  room: Room;
  failure: Failure | null;
  /** Why the connection ended, once someone ended it (null while connected or after a failure). */
  ended: string | null;
  /** LiveKit lost the connection without anyone ending it, and the plan said "report": remount now. */
  lost: boolean;
}

/** What one page adds to the connection. Made afresh for every run of the effect. */
export interface ConnectionPlan {
  /** Before the first connection (devices, checks); resolves with the first token. */
  prepare: (signal: AbortSignal) => Promise<TokenResponse>;
  /** A fresh token for a rejoin. */
  token: (signal: AbortSignal) => Promise<TokenResponse>;
  connectOptions?: RoomConnectOptions;
  /** Extra listeners on each new Room, registered before it connects. */
  listen?: (room: Room) => void;
  /** After connecting, before the connection counts as made (e.g. publish tracks). */
  joined?: (room: Room, signal: AbortSignal) => Promise<void>;
  /**
   * A connection LiveKit lost for good: "heal" rejoins in place with a fresh token until
   * it works (the participant keeps camera and mic); "report" sets `lost` and the caller
   * remounts.
   */
  whenLost: "heal" | "report";
  /** The attempt failed (the Room is already disconnected). */
  failed?: (err: unknown) => void;
  /** Unmount or cancel: let go of what prepare acquired. */
  release?: () => void;
}

type Action =
  | { type: "connected"; room: Room }
  | { type: "state"; state: ConnState }
  | { type: "failed"; failure: Failure }
  | { type: "ended"; message: string }
  | { type: "lost" };

function reducer(s: RoomConnection, a: Action): RoomConnection {
  switch (a.type) {
    case "connected":
      return { ...s, state: "connected", room: a.room };
    case "state":
      return { ...s, state: a.state };
    case "failed":
      return { ...s, state: "disconnected", failure: a.failure };
    case "ended":
      return { ...s, state: "disconnected", ended: a.message };
    case "lost":
      return { ...s, state: "reconnecting", lost: true };
  }
}

export function endedMessage(reason: DisconnectReason | undefined): string {
  switch (reason) {
    case DisconnectReason.DUPLICATE_IDENTITY:
      return "You joined this channel from another tab or window, so this one was disconnected.";
    case DisconnectReason.PARTICIPANT_REMOVED:
      return "You were removed from the channel.";
    case DisconnectReason.ROOM_DELETED:
      return "The channel was closed.";
    case DisconnectReason.SERVER_SHUTDOWN:
      return "The video server shut down.";
    case DisconnectReason.JOIN_FAILURE:
      return "The video server could not complete the join.";
    default:
      return "The connection was lost and could not be recovered.";
  }
}

/**
 * `makeRoom` builds a Room with the page's options (called once now, and again for
 * each rejoin); `plan` is called at the start of each run of the effect, which re-runs
 * when `deps` change.
 */
export function useRoomConnection(makeRoom: () => Room, plan: () => ConnectionPlan, deps: DependencyList): RoomConnection {
  const [s, dispatch] = useReducer(reducer, null, () => ({
    state: "connecting" as const,
    room: makeRoom(),
    failure: null,
    ended: null,
    lost: false,
  }));
  // The first Room is used by the first run that connects; any later run makes its own.
  const fresh = useRef<Room | null>(s.room);
  const latest = useRef({ makeRoom, plan });
  useEffect(() => {
    latest.current = { makeRoom, plan };
  });

  useEffect(() => {
    const p = latest.current.plan();
    const newRoom = latest.current.makeRoom;
    let cancelled = false;
    const abort = new AbortController();
    let room: Room | null = null;
    let healing = false;

    const release = () => {
      p.release?.();
      if (room) void room.disconnect(true);
    };

    // One connection with this token. Called again, with a fresh token, when the
    // connection is lost for good (e.g. LiveKit restarted and forgot the room).
    const open = async (token: TokenResponse) => {
      const r = fresh.current ?? newRoom();
      fresh.current = null;
      room = r;
      r.on(RoomEvent.Reconnecting, () => !cancelled && dispatch({ type: "state", state: "reconnecting" }))
        .on(RoomEvent.SignalReconnecting, () => !cancelled && dispatch({ type: "state", state: "reconnecting" }))
        .on(RoomEvent.Reconnected, () => !cancelled && dispatch({ type: "state", state: "connected" }))
        .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
          if (cancelled || r !== room || healing) return;
          if (isDeliberateDisconnect(reason)) dispatch({ type: "ended", message: endedMessage(reason) });
          else if (p.whenLost === "report") dispatch({ type: "lost" });
          else void heal();
        });
      p.listen?.(r);
      try {
        await r.connect(token.serverUrl, token.token, p.connectOptions);
      } catch (err) {
        if (cancelled) return release();
        if (err instanceof ConnectionError) {
          throw new ServerUnreachableError("media", `${token.serverUrl}: ${err.message}`);
        }
        throw err;
      }
      if (cancelled) return release();
      await p.joined?.(r, abort.signal);
      if (cancelled) return release();
      dispatch({ type: "connected", room: r });
    };

    // LiveKit gave up on the session (its own retries failed, or it no longer knows
    // the room): rejoin with a fresh token until it works or the page goes away.
    const heal = async () => {
      healing = true;
      dispatch({ type: "state", state: "reconnecting" });
      for (let attempt = 0; !cancelled; attempt++) {
        await sleep(rejoinDelayMs(attempt), abort.signal);
        if (cancelled) return;
        const old = room;
        room = null;
        if (old) void old.disconnect(false);
        try {
          await open(await p.token(abort.signal));
          if (!cancelled) healing = false;
          return;
        } catch {
          // LiveKit or the app not back yet: try again after the next delay
        }
      }
    };

    const run = async () => {
      const token = await p.prepare(abort.signal);
      if (cancelled) return release();
      await open(token);
    };

    run().catch((err: unknown) => {
      // Cancelled mid-way: what was acquired after the cleanup ran is let go of here.
      if (cancelled) return release();
      if (room) void room.disconnect(true);
      p.failed?.(err);
      dispatch({ type: "failed", failure: describeFailure(err) });
    });

    return () => {
      cancelled = true;
      abort.abort();
      release();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what restarts the attempt
  }, deps);

  return s;
}
