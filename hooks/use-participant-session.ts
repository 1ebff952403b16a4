"use client";
/**
 * One attempt to join a channel as a participant: camera + microphone, token, LiveKit
 * connection (useRoomConnection), publish. Once joined, a lost connection heals by
 * itself (lib/client/heal): the same tracks rejoin with a fresh token. A retry after a
 * failure is a new attempt: the caller remounts with a new key.
 */
import { useCallback, useReducer, useState } from "react";
import {
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  Track,
  createLocalAudioTrack,
  createLocalVideoTrack,
  type LocalTrackPublication,
} from "livekit-client";
import { DeviceError, deviceErrorFrom } from "@/lib/client/failures";
import { saveJoinPrefs, type Facing } from "@/lib/client/prefs";
import { fetchToken } from "@/lib/client/token";
import { WebRTCUnsupportedError, hasWebRTC } from "@/lib/client/webrtc-support";
import { HEAL_RECONNECT_POLICY } from "@/lib/client/heal";
import { useRoomConnection, type RoomConnection } from "@/hooks/use-room-connection";

interface Media {
  camera: LocalVideoTrack | null;
  mic: LocalAudioTrack | null;
  cameraPublished: boolean;
  muted: boolean;
  /** The camera in use: front ("user") or back ("environment"). */
  facing: Facing;
  /** More than one camera: offer to flip during the call. */
  canFlip: boolean;
}

export type SessionState = RoomConnection & Media & { identity: string | null };

type Action =
  | { type: "media"; camera: LocalVideoTrack | null; mic: LocalAudioTrack | null }
  | { type: "camera-published" }
  | { type: "muted"; muted: boolean }
  | { type: "facing"; facing: Facing }
  | { type: "can-flip"; canFlip: boolean };

function reducer(s: Media, a: Action): Media {
  switch (a.type) {
    case "media":
      return { ...s, camera: a.camera, mic: a.mic };
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
  const [media, dispatch] = useReducer(reducer, {
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

  const conn = useRoomConnection(
    () =>
      new Room({
        adaptiveStream: true,
        dynacast: true,
        videoCaptureDefaults: { resolution: { width: videoWidth, height: videoHeight } },
        publishDefaults: { simulcast: true, videoCodec: "vp8" },
        // The camera and mic outlive a lost connection: the rejoin publishes the same
        // tracks (a muted mic stays muted). release() and leave() stop them.
        stopLocalTrackOnUnpublish: false,
        reconnectPolicy: HEAL_RECONNECT_POLICY,
      }),
    () => {
      let camera: LocalVideoTrack | null = null;
      let mic: LocalAudioTrack | null = null;
      const resolution = { width: videoWidth, height: videoHeight };
      // facingMode is a preference, not a requirement: a laptop's only camera is used
      // whichever side was asked for.
      const openCamera = () => acquire("camera", () => createLocalVideoTrack({ resolution, facingMode: initialFacing }));
      const openMic = () =>
        acquire("microphone", () => createLocalAudioTrack({ echoCancellation: true, noiseSuppression: true, autoGainControl: true }));
      const token = (signal: AbortSignal) => fetchToken({ name, channel, role: "participant" }, signal);
      const stop = () => {
        camera?.stop();
        mic?.stop();
      };
      return {
        whenLost: "heal",
        token,
        prepare: async (signal) => {
          // Devices and token in parallel; a device problem is reported before a server
          // one because it is the one the person can fix right here. Without WebRTC no
          // call can happen: no token is asked for, but the camera and microphone still
          // open (the person pressed Join, so they expect to be asked), so the self-view
          // and the meter show that they work and that it is the browser that can't call.
          const webrtc = hasWebRTC();
          const [cam, mc, tok] = await Promise.allSettled([
            openCamera(),
            openMic(),
            webrtc ? token(signal) : Promise.reject(new WebRTCUnsupportedError("call")),
          ]);
          if (cam.status === "fulfilled") camera = cam.value;
          if (mc.status === "fulfilled") mic = mc.value;
          if (signal.aborted) throw new Error("cancelled");
          if (!webrtc) {
            if (mic && startMuted) await mic.mute();
            dispatch({ type: "media", camera, mic });
            throw tok.status === "rejected" ? tok.reason : new WebRTCUnsupportedError("call");
          }
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
          // Show the self-view and the meter while the connection is still being made.
          if (startMuted) await mic.mute();
          if (signal.aborted) throw new Error("cancelled");
          dispatch({ type: "media", camera, mic });
          // Device labels and the full list are only visible once permission is granted.
          void navigator.mediaDevices
            .enumerateDevices()
            .then((ds) => !signal.aborted && dispatch({ type: "can-flip", canFlip: ds.filter((d) => d.kind === "videoinput").length > 1 }))
            .catch(() => undefined);
          return tok.value;
        },
        listen: (r) => {
          r.on(RoomEvent.LocalTrackPublished, (pub: LocalTrackPublication) => {
            if (pub.source === Track.Source.Camera) dispatch({ type: "camera-published" });
          })
            // An admin can mute this microphone from /friends (LiveKit's mutePublishedTrack):
            // show it, so the button and the server agree.
            .on(RoomEvent.TrackMuted, (pub, participant) => {
              if (participant === r.localParticipant && pub.source === Track.Source.Microphone) {
                dispatch({ type: "muted", muted: true });
              }
            });
        },
        // The mic was muted in prepare, before publishing, so a muted join never sends a packet.
        joined: async (r) => {
          if (!camera || !mic) throw new Error("join did not complete");
          await Promise.all([
            r.localParticipant.publishTrack(camera, { source: Track.Source.Camera, simulcast: true }),
            r.localParticipant.publishTrack(mic, { source: Track.Source.Microphone }),
          ]);
        },
        failed: (err) => {
          // Where the browser can't call, the devices stay open for the self-view and the meter.
          if (err instanceof WebRTCUnsupportedError) return;
          stop();
          dispatch({ type: "media", camera: null, mic: null });
        },
        release: stop,
      };
    },
    [name, channel, startMuted, initialFacing, videoWidth, videoHeight],
  );

  const { mic } = media;
  const setMuted = useCallback(
    (muted: boolean) => {
      dispatch({ type: "muted", muted });
      saveJoinPrefs({ muted });
      if (!mic) return;
      void (muted ? mic.mute() : mic.unmute()).catch(() => undefined);
    },
    [mic],
  );

  const { camera, facing } = media;
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

  const { room } = conn;
  const leave = useCallback(() => void room.disconnect(true), [room]);

  const live = conn.failure === null && conn.ended === null;
  return {
    ...conn,
    ...media,
    identity: room.localParticipant.identity || null,
    cameraPublished: media.cameraPublished && live,
    setMuted,
    flipCamera,
    leave,
  };
}
