/**
 * How Egress encodes the program. Egress's presets (EncodingOptionsPreset) pair H.264
 * with AAC, and Debian's GStreamer has no AAC encoder (`faac`), so a preset-encoded MP4
 * fails there. We ask for the same picture with Opus audio instead: Egress accepts
 * H.264 + Opus in MP4 (its codec table), and Opus is in GStreamer's base plugins
 * everywhere. `.ogg` files are audio only (Opus); Egress offers no WebM for a room composite.
 * RTMP and HLS only take AAC in Egress (its codec table), so those keep the preset:
 * they need an Egress whose GStreamer has faac (LiveKit's egress image does).
 */
import { AudioCodec, EncodingOptions, EncodingOptionsPreset, VideoCodec } from "livekit-server-sdk";

export const EGRESS_PRESETS = {
  H264_720P_30: { width: 1280, height: 720, framerate: 30, videoBitrate: 3000 },
  H264_720P_60: { width: 1280, height: 720, framerate: 60, videoBitrate: 4500 },
  H264_1080P_30: { width: 1920, height: 1080, framerate: 30, videoBitrate: 4500 },
  H264_1080P_60: { width: 1920, height: 1080, framerate: 60, videoBitrate: 6000 },
} as const;
export type EgressPreset = keyof typeof EGRESS_PRESETS;

/** Files: the preset's picture (H.264 main) with Opus 48 kHz audio. Streams: the preset itself. */
export function programEncoding(preset: EgressPreset, output: "file" | "rtmp" | "hls" = "file"): EncodingOptions | EncodingOptionsPreset {
  if (output !== "file") return EncodingOptionsPreset[preset];
  const p = EGRESS_PRESETS[preset];
  return new EncodingOptions({
    width: p.width,
    height: p.height,
    depth: 24,
    framerate: p.framerate,
    videoCodec: VideoCodec.H264_MAIN,
    videoBitrate: p.videoBitrate,
    keyFrameInterval: 2,
    audioCodec: AudioCodec.OPUS,
    audioBitrate: 128,
    audioFrequency: 48000,
  });
}
