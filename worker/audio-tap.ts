/**
 * Decoded audio of one remote track, delivered synchronously as int16 PCM, at a
 * fraction of rtc-node's `AudioStream` cost per frame.
 *
 * Every decoded frame reaches JavaScript as one FFI event. With `AudioStream`, rtc-node
 * decodes each event into protobuf-es message objects (reflection-driven, the largest
 * single cost in the director's profile), hands it to every listener in the process
 * (each stream's own and each Room's: N² checks for N streams), wraps the samples in
 * an `AudioFrame` and queues them through a WHATWG ReadableStream whose reader resolves
 * a promise per frame. At 20 rooms × 5 people that was most of the director's CPU.
 *
 * A tap instead reads the few fields of a `frame_received` event straight from the
 * wire bytes, looks its stream up in one map, copies the samples and releases the
 * frame: no message objects, no fan-out, no stream, no promise. Every other event
 * (room events, an `eos`, anything it does not recognise) goes through rtc-node's own
 * decoder untouched.
 *
 * How: rtc-node's FFI callback calls `FfiEvent.fromBinary(bytes)` (looked up on the
 * shared `@livekit/rtc-ffi-bindings` module at call time) and emits the result. The
 * tap wraps that static once per process; an event it consumed becomes one shared
 * sentinel that the client's `emit` drops. Both rtc-node (0.13.35) and the bindings
 * (0.12.73) are pinned exactly; `installed()` fails loudly if either shape changes,
 * and tests/unit/audio-tap.test.ts checks the wire parser against protobuf-es.
 */
import { createRequire } from "node:module";
import type { RemoteTrack } from "@livekit/rtc-node";

// The bindings are rtc-node's own dependency (the same module instance it uses):
// required through rtc-node's resolution so the wrapped `FfiEvent` is the one it calls.
const requireFromRtc = createRequire(createRequire(import.meta.url).resolve("@livekit/rtc-node"));
type Bindings = typeof import("@livekit/rtc-ffi-bindings");
const ffi = requireFromRtc("@livekit/rtc-ffi-bindings") as Bindings;

export interface AudioTapOptions {
  sampleRate: number;
  /** samples per delivered frame = sampleRate × frameSizeMs / 1000 */
  frameSizeMs: number;
}

export interface AudioTap {
  /** Stop decoding and release the stream (idempotent). */
  close(): void;
}

interface TapEntry {
  onFrame(pcm: Int16Array): void;
  onEnd(): void;
}

/** stream handle → its tap */
const taps = new Map<number, TapEntry>();
/** What the wrapped decoder returns for an event a tap consumed. */
const CONSUMED = Object.freeze({ message: Object.freeze({ case: "audioStreamEvent", value: Object.freeze({ message: Object.freeze({ case: undefined }) }) }) });
let hooked = false;

/** Field 4 of FfiEvent (audio_stream_event), length-delimited: tag byte (4 << 3) | 2. */
const TAG_AUDIO_STREAM_EVENT = 0x22;

/** The fields of a frame_received event, read from the wire bytes; null when it is not one. */
export interface FrameReceived {
  streamHandle: number;
  frameHandle: number;
  dataPtr: number;
  numChannels: number;
  sampleRate: number;
  samplesPerChannel: number;
}

// The parser's cursor: module state instead of closures, since it runs for every
// frame of every participant (a closure-based version cost twice as much).
let B: Uint8Array = new Uint8Array();
let P = 0;

/** Read a varint as a double at P; -1 if truncated or longer than a uint64. */
function varint(): number {
  let v = 0;
  let mul = 1;
  for (;;) {
    if (P >= B.length) return -1;
    const byte = B[P++]!;
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) return v;
    mul *= 128;
    if (mul > 2 ** 63) return -1;
  }
}

/** Skip one field's value of wire type `wire` ending by `end`; false if malformed. */
function skip(wire: number, end: number): boolean {
  if (wire === 0) return varint() >= 0;
  let n: number;
  if (wire === 2) n = varint();
  else if (wire === 1) n = 8;
  else if (wire === 5) n = 4;
  else return false; // groups: not in these messages
  if (n < 0) return false;
  P += n;
  return P <= end;
}

/** Enter a length-delimited field at P; returns its end, or -1 if it overruns `outer`. */
function enter(outer: number): number {
  const n = varint();
  if (n < 0 || P + n > outer) return -1;
  return P + n;
}

/**
 * Parse `FfiEvent{audio_stream_event{stream_handle, frame_received{frame{handle{id},
 * info{data_ptr, num_channels, sample_rate, samples_per_channel}}}}}` without
 * allocating message objects, into `out`. Varints are read as doubles: handles are
 * counters and user-space pointers fit in 47 bits, both far below 2^53. Unknown fields
 * are skipped; any other shape returns false (the caller then uses the full decoder).
 */
function parseInto(b: Uint8Array, out: FrameReceived): boolean {
  if (b.length < 2 || b[0] !== TAG_AUDIO_STREAM_EVENT) return false;
  B = b;
  P = 1;
  out.streamHandle = out.frameHandle = out.dataPtr = out.numChannels = out.sampleRate = out.samplesPerChannel = -1;
  const evEnd = enter(b.length);
  if (evEnd !== b.length) return false; // another field beside audio_stream_event: not ours
  let isFrame = false;
  while (P < evEnd) {
    const tag = varint();
    if (tag === 0x08) out.streamHandle = varint(); // stream_handle
    else if (tag === 0x12) {
      // frame_received
      isFrame = true;
      const recvEnd = enter(evEnd);
      if (recvEnd < 0) return false;
      while (P < recvEnd) {
        const t2 = varint();
        if (t2 === 0x0a) {
          // frame: OwnedAudioFrameBuffer
          const bufEnd = enter(recvEnd);
          if (bufEnd < 0) return false;
          while (P < bufEnd) {
            const t3 = varint();
            if (t3 === 0x0a || t3 === 0x12) {
              // handle (FfiOwnedHandle) or info (AudioFrameBufferInfo)
              const end = enter(bufEnd);
              if (end < 0) return false;
              while (P < end) {
                const t4 = varint();
                if (t3 === 0x0a && t4 === 0x08) out.frameHandle = varint();
                else if (t3 === 0x12 && t4 === 0x08) out.dataPtr = varint();
                else if (t3 === 0x12 && t4 === 0x10) out.numChannels = varint();
                else if (t3 === 0x12 && t4 === 0x18) out.sampleRate = varint();
                else if (t3 === 0x12 && t4 === 0x20) out.samplesPerChannel = varint();
                else if (t4 < 0 || !skip(t4 & 7, end)) return false;
              }
              if (P !== end) return false;
            } else if (t3 < 0 || !skip(t3 & 7, bufEnd)) return false;
          }
          if (P !== bufEnd) return false;
        } else if (t2 < 0 || !skip(t2 & 7, recvEnd)) return false;
      }
      if (P !== recvEnd) return false;
    } else if (tag < 0 || !skip(tag & 7, evEnd)) return false;
  }
  return P === evEnd && isFrame && out.streamHandle >= 0 && out.frameHandle >= 0 && out.dataPtr >= 0 && out.numChannels > 0 && out.samplesPerChannel >= 0;
}

/** parseInto() as a fresh object, or null when the bytes are not a frame_received event. */
export function parseFrameReceived(b: Uint8Array): FrameReceived | null {
  const out = { streamHandle: -1, frameHandle: -1, dataPtr: -1, numChannels: -1, sampleRate: -1, samplesPerChannel: -1 };
  return parseInto(b, out) ? out : null;
}

const scratch: FrameReceived = { streamHandle: -1, frameHandle: -1, dataPtr: -1, numChannels: -1, sampleRate: -1, samplesPerChannel: -1 };

function consume(bytes: Uint8Array): boolean {
  const f = scratch;
  if (!parseInto(bytes, f)) return false;
  const tap = taps.get(f.streamHandle);
  if (!tap) return false; // someone else's stream: rtc-node delivers it as usual
  const len = f.numChannels * f.samplesPerChannel * 2;
  const data = ffi.livekitCopyBuffer(BigInt(f.dataPtr), len);
  new ffi.FfiHandle(BigInt(f.frameHandle)).dispose();
  try {
    tap.onFrame(data.byteOffset % 2 === 0 ? new Int16Array(data.buffer, data.byteOffset, len / 2) : new Int16Array(data.slice().buffer));
  } catch {
    // a consumer's bug must not break the FFI callback for every other stream
  }
  return true;
}

interface FfiClientLike {
  emit(name: string, ev: unknown): boolean;
}

/** Wrap the bindings' decoder and the client's emit, once. Throws if rtc-node changed shape. */
function install(): void {
  if (hooked) return;
  const client = (globalThis as { _ffiClientInstance?: FfiClientLike })._ffiClientInstance;
  const Event = ffi.FfiEvent as unknown as { fromBinary(bytes: Uint8Array, opts?: unknown): unknown };
  if (!client || typeof client.emit !== "function" || typeof Event.fromBinary !== "function") {
    throw new Error("audio tap: rtc-node's FFI client is not the expected shape (rtc-node upgraded?)");
  }
  const decode = Event.fromBinary.bind(Event);
  Event.fromBinary = (bytes: Uint8Array, opts?: unknown) => (consume(bytes) ? CONSUMED : decode(bytes, opts));
  const emit = client.emit.bind(client);
  client.emit = (name: string, ev: unknown) => {
    if (ev === CONSUMED) return true;
    // An end of stream for a tap (decoded the ordinary way): tell its owner.
    const m = (ev as { message?: { case?: string; value?: { streamHandle?: bigint; message?: { case?: string } } } }).message;
    if (m?.case === "audioStreamEvent" && m.value?.message?.case === "eos") {
      const tap = taps.get(Number(m.value.streamHandle));
      if (tap) {
        taps.delete(Number(m.value.streamHandle));
        tap.onEnd();
        return true;
      }
    }
    return emit(name, ev);
  };
  hooked = true;
}

/**
 * Decode `track` (a subscribed remote audio track) to mono int16 at `sampleRate` in
 * frames of `frameSizeMs`, calling `onFrame` synchronously for each (the array is the
 * caller's to keep). `onEnd` runs once if the stream ends on its own (not after close()).
 */
export function tapAudio(track: RemoteTrack, opts: AudioTapOptions, onFrame: (pcm: Int16Array) => void, onEnd: () => void = () => {}): AudioTap {
  install();
  const trackHandle = (track as unknown as { ffi_handle: { handle: bigint } }).ffi_handle.handle;
  const req = new ffi.FfiRequest({
    message: {
      case: "newAudioStream",
      value: new ffi.NewAudioStreamRequest({
        type: ffi.AudioStreamType.AUDIO_STREAM_NATIVE,
        trackHandle,
        sampleRate: opts.sampleRate,
        numChannels: 1,
        frameSizeMs: opts.frameSizeMs,
      }),
    },
  });
  const res = ffi.FfiResponse.fromBinary(ffi.livekitFfiRequest(req.toBinary()));
  const id = res.message.case === "newAudioStream" ? res.message.value.stream?.handle?.id : undefined;
  if (id === undefined) throw new Error("audio tap: no stream in the FFI response");
  const handle = new ffi.FfiHandle(id);
  const key = Number(id);
  taps.set(key, { onFrame, onEnd });
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      taps.delete(key);
      handle.dispose();
    },
  };
}
