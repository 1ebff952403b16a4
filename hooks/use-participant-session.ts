"use client";
/**
 * One attempt to join a channel as a participant: camera + microphone, token, LiveKit
 * connection, publish. Once joined, a lost connection heals by itself (lib/client/heal):
 * the same tracks rejoin with a fresh token. A retry after a failure is a new attempt:
 * the caller remounts with a new key, so every attempt starts from a clean state.
 *
 * Strict mode runs the effect twice; the first run is cancelled at its next await and
 * releases whatever it had acquired, so only one connection and one camera survive.
 */
import { useCallback, useEffect, useReducer, useState } from "react";
import {
  ConnectionError,
  DisconnectReason,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  Track,
  createLocalAudioTrack,
  createLocalVideoTrack,
  type LocalTrackPublication,
} from "livekit-client";
import { DeviceError, ServerUnreachableError, describeFailure, deviceErrorFrom, type Failure } from "@/lib/client/failures";
import { saveJoinPrefs, type Facing } from "@/lib/client/prefs";
import { fetchToken } from "@/lib/client/token";
import { WebRTCUnsupportedError, hasWebRTC } from "@/lib/client/webrtc-support";
import { HEAL_RECONNECT_POLICY, isDeliberateDisconnect, rejoinDelayMs, sleep } from "@/lib/client/heal";

export type ConnState = "connecting" | "connected" | "reconnecting" | "disconnected";

export interface SessionState {
  state: ConnState;
  room: Room | null;
  identity: string | null;
  failure: Failure | null;
  /** Why the connection ended, once it has (null while connected or after a failure). */
  ended: string | null;
  camera: LocalVideoTrack | null;
  mic: LocalAudioTrack | null;
  cameraPublished: boolean;
  muted: boolean;
  /** The camera in use: front ("user") or back ("environment"). */
  facing: Facing;
  /** More than one camera: offer to flip during the call. */
  canFlip: boolean;
}

type Action =
  | { type: "media"; camera: LocalVideoTrack; mic: LocalAudioTrack }
  | { type: "connected"; room: Room; identity: string; camera: LocalVideoTrack; mic: LocalAudioTrack }
  | { type: "state"; state: ConnState }
  | { type: "failed"; failure: Failure }
  | { type: "unsupported"; failure: Failure; camera: LocalVideoTrack | null; mic: LocalAudioTrack | null }
  | { type: "ended"; message: string }
  | { type: "camera-published" }
  | { type: "muted"; muted: boolean }
  | { type: "facing"; facing: Facing }
  | { type: "can-flip"; canFlip: boolean };

function reducer(s: SessionState, a: Action): SessionState {
  switch (a.type) {
    case "media":
      return { ...s, camera: a.camera, mic: a.mic };
    case "connected":
      return { ...s, state: "connected", room: a.room, identity: a.identity, camera: a.camera, mic: a.mic };
    case "state":
      return { ...s, state: a.state };
    case "failed":
      return { ...s, state: "disconnected", failure: a.failure, room: null, camera: null, mic: null, cameraPublished: false };
    case "unsupported":
      // No call, but the devices stay open for the self-view and the meter.
      return { ...s, state: "disconnected", failure: a.failure, room: null, camera: a.camera, mic: a.mic, cameraPublished: false };
    case "ended":
      return { ...s, state: "disconnected", ended: a.message, cameraPublished: false };
    case "camera-published":
      return { ...s, cameraPublished: true };
    case "muted":
      return { ...s, muted: a.muted };
    case "facing":
      return { ...s, facing: a.facing };
    case "can-flip":
      return { ...s, canFlip: a.canFlip };
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

export interface JoinParams {
  name: string;
  channel: number;
  startMuted: boolean;
  /** The camera to start with; the person can flip it during the call. */
  facing: Facing;
  videoWidth: number;
  videoHeight: number;
}

async function acquire<T>(device: "camera" | "microphone", make: () => Promise<T>): Promise<T> {
  if (typeof navigator === "undefined" || !navigator.mediaDevices?.getUserMedia) {
    throw new DeviceError(device, "insecure");
  }
  try {
    return await make();
  } catch (err) {
    throw deviceErrorFrom(device, err);
  }
}

export function useParticipantSession(
  p: JoinParams,
): SessionState & { setMuted: (muted: boolean) => void; flipCamera: () => void; leave: () => void } {
  const [s, dispatch] = useReducer(reducer, {
    state: "connecting",
    room: null,
    identity: null,
    failure: null,
    ended: null,
    camera: null,
    mic: null,
    cameraPublished: false,
    muted: p.startMuted,
    facing: p.facing,
    canFlip: false,
  });

  const { name, channel, startMuted, videoWidth, videoHeight } = p;
  // The starting camera only: a flip during the call must not reconnect.
  const [initialFacing] = useState(p.facing);

  useEffect(() => {
    let cancelled = false;
    const abort = new AbortController();
    let room: Room | null = null;
    let camera: LocalVideoTrack | null = null;
    let mic: LocalAudioTrack | null = null;

    const release = () => {
      camera?.stop();
      mic?.stop();
      if (room) void room.disconnect(true);
    };

    const run = async () => {
      const resolution = { width: videoWidth, height: videoHeight };
      if (!hasWebRTC()) {
        // No call can happen in this browser: ask for no token and make no connection.
        // The camera and microphone still open (the person pressed Join, so they
        // expect to be asked), so the self-view and the meter show that they work and
        // that it is the browser that can't call.
        const [cam, mc] = await Promise.allSettled([
          acquire("camera", () => createLocalVideoTrack({ resolution, facingMode: initialFacing })),
          acquire("microphone", () => createLocalAudioTrack({ echoCancellation: true, noiseSuppression: true, autoGainControl: true })),
        ]);
        if (cam.status === "fulfilled") camera = cam.value;
        if (mc.status === "fulfilled") mic = mc.value;
        if (cancelled) return release();
        if (mic && startMuted) await mic.mute();
        if (cancelled) return release();
        dispatch({ type: "unsupported", failure: describeFailure(new WebRTCUnsupportedError("call")), camera, mic });
        return;
      }
      // Devices and token in parallel; a device problem is reported before a server one
      // because it is the one the person can fix right here.
      const [cam, mc, tok] = await Promise.allSettled([
        // facingMode is a preference, not a requirement: a laptop's only camera is used
        // whichever side was asked for.
        acquire("camera", () => createLocalVideoTrack({ resolution, facingMode: initialFacing })),
        acquire("microphone", () =>
          createLocalAudioTrack({ echoCancellation: true, noiseSuppression: true, autoGainControl: true }),
        ),
        fetchToken({ name, channel, role: "participant" }, abort.signal),
      ]);
      if (cam.status === "fulfilled") camera = cam.value;
      if (mc.status === "fulfilled") mic = mc.value;
      if (cancelled) return release();
      if (
        cam.status === "rejected" &&
        mc.status === "rejected" &&
        cam.reason instanceof DeviceError &&
        mc.reason instanceof DeviceError &&
        cam.reason.reason === mc.reason.reason
      ) {
        throw new DeviceError("camera and microphone", cam.reason.reason, cam.reason.cause);
      }
      for (const r of [cam, mc, tok]) if (r.status === "rejected") throw r.reason;
      if (!camera || !mic || tok.status !== "fulfilled") throw new Error("join did not complete");
      const token = tok.value;
      // Show the self-view and the meter while the connection is still being made.
      if (startMuted) await mic.mute();
      if (cancelled) return release();
      dispatch({ type: "media", camera, mic });
      // Device labels and the full list are only visible once permission is granted.
      void navigator.mediaDevices
        .enumerateDevices()
        .then((ds) => !cancelled && dispatch({ type: "can-flip", canFlip: ds.filter((d) => d.kind === "videoinput").length > 1 }))
        .catch(() => undefined);

      // One connection to the channel with these tracks. Called again, with a fresh token,
      // when the connection is lost for good (e.g. LiveKit restarted and forgot the room).
      const open = async (token: { serverUrl: string; token: string }) => {
        if (!camera || !mic) throw new Error("join did not complete");
        const cam = camera;
        const mc = mic;
        const r = new Room({
          adaptiveStream: true,
          dynacast: true,
          videoCaptureDefaults: { resolution },
          publishDefaults: { simulcast: true, videoCodec: "vp8" },
          // The camera and mic outlive a lost connection: the rejoin publishes the same
          // tracks (a muted mic stays muted). release() and leave() stop them.
          stopLocalTrackOnUnpublish: false,
          reconnectPolicy: HEAL_RECONNECT_POLICY,
        });
        room = r;
        r.on(RoomEvent.Reconnecting, () => !cancelled && dispatch({ type: "state", state: "reconnecting" }))
          .on(RoomEvent.SignalReconnecting, () => !cancelled && dispatch({ type: "state", state: "reconnecting" }))
          .on(RoomEvent.Reconnected, () => !cancelled && dispatch({ type: "state", state: "connected" }))
          .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
            if (cancelled || r !== room || healing) return;
            if (isDeliberateDisconnect(reason)) dispatch({ type: "ended", message: endedMessage(reason) });
            else void heal();
          })
          .on(RoomEvent.LocalTrackPublished, (pub: LocalTrackPublication) => {
            if (!cancelled && pub.source === Track.Source.Camera) dispatch({ type: "camera-published" });
          })
          // An admin can mute this microphone from /friends (LiveKit's mutePublishedTrack):
          // show it, so the button and the server agree.
          .on(RoomEvent.TrackMuted, (pub, participant) => {
            if (!cancelled && participant === r.localParticipant && pub.source === Track.Source.Microphone) {
              dispatch({ type: "muted", muted: true });
            }
          });

        try {
          await r.connect(token.serverUrl, token.token);
        } catch (err) {
          if (cancelled) return release();
          if (err instanceof ConnectionError) {
            throw new ServerUnreachableError("media", `${token.serverUrl}: ${err.message}`);
          }
          throw err;
        }
        if (cancelled) return release();

        // The mic was muted above, before publishing, so a muted join never sends a packet.
        await Promise.all([
          r.localParticipant.publishTrack(cam, { source: Track.Source.Camera, simulcast: true }),
          r.localParticipant.publishTrack(mc, { source: Track.Source.Microphone }),
        ]);
        if (cancelled) return release();
        dispatch({ type: "connected", room: r, identity: r.localParticipant.identity, camera: cam, mic: mc });
      };

      // LiveKit gave up on the session (its own retries failed, or it no longer knows
      // the room): rejoin with a fresh token until it works or the person leaves.
      let healing = false;
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
            await open(await fetchToken({ name, channel, role: "participant" }, abort.signal));
            if (!cancelled) healing = false;
            return;
          } catch {
            // LiveKit or the app not back yet: try again after the next delay
          }
        }
      };

      await open(token);
    };

    run().catch((err: unknown) => {
      if (cancelled) return;
      release();
      dispatch({ type: "failed", failure: describeFailure(err) });
    });

    return () => {
      cancelled = true;
      abort.abort();
      release();
    };
  }, [name, channel, startMuted, initialFacing, videoWidth, videoHeight]);

  const { mic } = s;
  const setMuted = useCallback(
    (muted: boolean) => {
      dispatch({ type: "muted", muted });
      saveJoinPrefs({ muted });
      if (!mic) return;
      void (muted ? mic.mute() : mic.unmute()).catch(() => undefined);
    },
    [mic],
  );

  const { camera, facing } = s;
  const flipCamera = useCallback(() => {
    if (!camera) return;
    const next: Facing = facing === "user" ? "environment" : "user";
    // restartTrack swaps the capture under the published track: no renegotiation, and
    // the director and viewers keep the same track.
    void camera
      .restartTrack({ facingMode: next, resolution: { width: videoWidth, height: videoHeight } })
      .then(() => {
        dispatch({ type: "facing", facing: next });
        saveJoinPrefs({ facing: next });
      })
      .catch(() => undefined);
  }, [camera, facing, videoWidth, videoHeight]);

  const { room } = s;
  const leave = useCallback(() => {
    if (room) void room.disconnect(true);
  }, [room]);

  return { ...s, setMuted, flipCamera, leave };
}
