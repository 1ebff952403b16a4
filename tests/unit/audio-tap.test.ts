// The audio tap's wire parser against the bindings' own protobuf-es encoder: the same
// bytes rtc-node's FFI callback receives (the tap itself runs against a real
// livekit-server in the integration tests; every directed room goes through it).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parseFrameReceived } from "@/worker/audio-tap";

const requireFromRtc = createRequire(createRequire(import.meta.url).resolve("@livekit/rtc-node"));
const ffi = requireFromRtc("@livekit/rtc-ffi-bindings") as typeof import("@livekit/rtc-ffi-bindings");

function frameEvent(streamHandle: bigint, frameHandle: bigint, ptr: bigint, rate: number, samples: number, channels = 1): Uint8Array {
  return new ffi.FfiEvent({
    message: {
      case: "audioStreamEvent",
      value: new ffi.AudioStreamEvent({
        streamHandle,
        message: {
          case: "frameReceived",
          value: new ffi.AudioFrameReceived({
            frame: new ffi.OwnedAudioFrameBuffer({
              handle: new ffi.FfiOwnedHandle({ id: frameHandle }),
              info: new ffi.AudioFrameBufferInfo({ dataPtr: ptr, numChannels: channels, sampleRate: rate, samplesPerChannel: samples }),
            }),
          }),
        },
      }),
    },
  }).toBinary();
}

describe("audio tap wire parser", () => {
  it("reads every field of a frame_received event, with 47-bit pointers and multi-byte handles", () => {
    const cases: [bigint, bigint, bigint, number, number, number][] = [
      [1n, 2n, 0x7fff_ffff_f000n, 16_000, 640, 1],
      [300n, 70_000n, 0x5555_1234_5678n, 48_000, 480, 2],
      [2n ** 40n, 2n ** 35n + 7n, 1n, 8_000, 0, 1],
    ];
    for (const [sh, fh, ptr, rate, n, ch] of cases) {
      expect(parseFrameReceived(frameEvent(sh, fh, ptr, rate, n, ch))).toEqual({
        streamHandle: Number(sh),
        frameHandle: Number(fh),
        dataPtr: Number(ptr),
        numChannels: ch,
        sampleRate: rate,
        samplesPerChannel: n,
      });
    }
  });

  it("leaves every other event to the full decoder", () => {
    const eos = new ffi.FfiEvent({
      message: { case: "audioStreamEvent", value: new ffi.AudioStreamEvent({ streamHandle: 5n, message: { case: "eos", value: new ffi.AudioStreamEOS() } }) },
    }).toBinary();
    expect(parseFrameReceived(eos)).toBeNull();
    const video = new ffi.FfiEvent({ message: { case: "videoStreamEvent", value: new ffi.VideoStreamEvent({ streamHandle: 5n }) } }).toBinary();
    expect(parseFrameReceived(video)).toBeNull();
    const room = new ffi.FfiEvent({ message: { case: "roomEvent", value: new ffi.RoomEvent({ roomHandle: 9n }) } }).toBinary();
    expect(parseFrameReceived(room)).toBeNull();
    expect(parseFrameReceived(new Uint8Array())).toBeNull();
  });

  it("rejects truncated or overrunning bytes instead of reading past them", () => {
    const ok = frameEvent(1n, 2n, 4096n, 16_000, 640);
    for (let cut = 1; cut < ok.length; cut++) expect(parseFrameReceived(ok.subarray(0, cut))).toBeNull();
    const longer = new Uint8Array(ok.length + 1);
    longer.set(ok);
    expect(parseFrameReceived(longer)).toBeNull();
  });
});
