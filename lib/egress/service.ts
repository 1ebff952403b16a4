import "server-only";

import {
  EgressClient,
  EgressStatus,
  EncodedFileOutput,
  EncodedFileType,
  SegmentedFileOutput,
  StreamOutput,
  StreamProtocol,
  type EgressInfo,
} from "livekit-server-sdk";
import { ApiError } from "@/lib/api-error";
import { programEncoding } from "@/lib/egress/encoding";
import { egressApiError } from "@/lib/egress/errors";
import {
  redactStreamUrl,
  type ActiveEgress,
  type EgressLayout,
  type EgressOutput,
  type EgressState,
} from "@/lib/egress/schema";
import { env, livekitHttpUrl } from "@/lib/env";
import { channelOfRoom, roomForChannel } from "@/lib/schemas";

/** The layout page's path in this app. */
export const EGRESS_LAYOUT_PATH = "/egress";

// Start waits for an egress worker to accept; LiveKit itself gives up after ~23 s when
// none answers. 10 s keeps a serverless function well inside its time limit.
const REQUEST_TIMEOUT_SECONDS = 10;

let client: EgressClient | undefined;

function egressClient(): EgressClient {
  const e = env();
  client ??= new EgressClient(livekitHttpUrl(e), e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET, {
    requestTimeout: REQUEST_TIMEOUT_SECONDS,
  });
  return client;
}

const ACTIVE: ReadonlyMap<EgressStatus, EgressState> = new Map([
  [EgressStatus.EGRESS_STARTING, "starting"],
  [EgressStatus.EGRESS_ACTIVE, "active"],
  [EgressStatus.EGRESS_ENDING, "ending"],
]);

/**
 * The layout URL Egress loads; Egress appends url, token and layout to it. Never from
 * request headers: a Host or X-Forwarded-Host that a client chose would point
 * Egress (and the recorder token it appends) at the client's server. Production
 * requires APP_PUBLIC_URL (lib/env.ts); the embedded default, which has no Egress of
 * its own, falls back to the app's own port on this machine.
 */
export function layoutUrl(): string {
  const e = env();
  if (e.EGRESS_LAYOUT_URL) return e.EGRESS_LAYOUT_URL;
  const base = (e.APP_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, "");
  return `${base}${EGRESS_LAYOUT_PATH}`;
}

function toOutput(output: EgressOutput): EncodedFileOutput | StreamOutput | SegmentedFileOutput {
  switch (output.type) {
    case "file": {
      const filepath = output.filepath ?? "recordings/{room_name}-{time}.mp4";
      return new EncodedFileOutput({
        filepath,
        fileType: filepath.endsWith(".ogg") ? EncodedFileType.OGG : EncodedFileType.MP4,
      });
    }
    case "rtmp":
      return new StreamOutput({ protocol: StreamProtocol.RTMP, urls: output.urls });
    case "hls":
      return new SegmentedFileOutput({
        filenamePrefix: output.filenamePrefix ?? "hls/{room_name}-{time}",
        playlistName: output.playlistName ?? "playlist.m3u8",
        segmentDuration: output.segmentDuration ?? 6,
      });
  }
}

/** EgressInfo as the API shows it: no stream keys, times in ms. */
export function toActiveEgress(info: EgressInfo): ActiveEgress {
  const rc = info.request.case === "roomComposite" ? info.request.value : undefined;
  let output: ActiveEgress["output"] = { type: "unknown", location: null };
  const file = rc?.fileOutputs[0] ?? (rc?.output.case === "file" ? rc.output.value : undefined);
  const stream = rc?.streamOutputs[0] ?? (rc?.output.case === "stream" ? rc.output.value : undefined);
  const segments = rc?.segmentOutputs[0] ?? (rc?.output.case === "segments" ? rc.output.value : undefined);
  if (file) output = { type: "file", location: info.fileResults[0]?.filename || file.filepath || null };
  else if (stream) output = { type: "rtmp", location: stream.urls.map(redactStreamUrl).join(", ") || null };
  else if (segments) output = { type: "hls", location: segments.playlistName || null };
  const started = Number(info.startedAt / 1_000_000n);
  return {
    egressId: info.egressId,
    channel: channelOfRoom(info.roomName),
    room: info.roomName,
    state: ACTIVE.get(info.status) ?? "ending",
    startedAt: started > 0 ? started : null,
    layout: rc?.layout ?? "",
    output,
  };
}

/** Active egresses, of one channel or of all. 503 with a fix when Egress isn't deployed. */
export async function listActiveEgresses(channel?: number): Promise<ActiveEgress[]> {
  let infos: EgressInfo[];
  try {
    infos = await egressClient().listEgress({
      ...(channel === undefined ? {} : { roomName: roomForChannel(channel) }),
      active: true,
    });
  } catch (err) {
    throw egressApiError(err, { channel });
  }
  return infos.filter((i) => ACTIVE.has(i.status)).map(toActiveEgress);
}

export async function startProgramEgress(opts: {
  channel: number;
  output: EgressOutput;
  layout: EgressLayout;
}): Promise<ActiveEgress> {
  // One egress per channel. The check and the start are two calls, so two admins
  // clicking at the same instant could both start; LiveKit would then run two.
  const running = await listActiveEgresses(opts.channel);
  if (running.length > 0) {
    throw new ApiError("conflict", `channel ${opts.channel} is already being recorded or streamed`, {
      egressId: running[0]!.egressId,
    });
  }
  try {
    const info = await egressClient().startRoomCompositeEgress(roomForChannel(opts.channel), toOutput(opts.output), {
      layout: opts.layout,
      customBaseUrl: layoutUrl(),
      // Files: H.264 + Opus, as the presets' AAC has no encoder in Debian's GStreamer.
      audioOnly: opts.output.type === "file" && (opts.output.filepath ?? "").endsWith(".ogg"),
      encodingOptions: programEncoding(env().EGRESS_PRESET, opts.output.type),
    });
    return toActiveEgress(info);
  } catch (err) {
    throw egressApiError(err, { channel: opts.channel });
  }
}

export async function stopEgress(egressId: string): Promise<ActiveEgress> {
  try {
    return toActiveEgress(await egressClient().stopEgress(egressId));
  } catch (err) {
    throw egressApiError(err);
  }
}
