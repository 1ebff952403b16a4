/**
 * Cost of the voice model (Silero VAD through lib/speech) on this machine.
 *
 *   npm run bench:vad [-- --seconds 20 --streams 4]
 *
 * Runs N participant streams of the committed speech fixtures (looped) through one shared
 * model, each with its own detector, ungated (the worst case: everyone above their floor),
 * and prints the time per 32 ms window and the share of one core per stream.
 */
import { parseArgs } from "node:util";
import { Decimate3, SileroVad, VAD_WINDOW_MS, VoiceDetector } from "@/lib/speech";
import { readWav } from "@/tests/helpers/wav";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: "string", default: "20" }, streams: { type: "string", default: "4" } } });
  const seconds = Number(values.seconds);
  const streams = Number(values.streams);
  const vad = await SileroVad.load();
  const clips = ["speech-alice", "speech-bob", "speech-carol"].map((f) => new Decimate3().process(readWav(`tests/fixtures/audio/${f}.wav`).samples));
  const frame = 320;
  const dets = Array.from({ length: streams }, () => new VoiceDetector(vad));
  // Warm-up, not measured: the first runs allocate the session's buffers.
  await new VoiceDetector(vad).push(clips[0]?.subarray(0, 16000) ?? new Float32Array(16000), true);
  vad.windows = 0;
  vad.busyMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const frames = Math.floor((seconds * 16000) / frame);
  for (let f = 0; f < frames; f++) {
    await Promise.all(
      dets.map((d, i) => {
        const clip = clips[i % clips.length] ?? new Float32Array(frame);
        const at = (f * frame + i * 4000) % (clip.length - frame);
        return d.push(clip.subarray(at, at + frame), true);
      }),
    );
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const perWindowCpu = cpuMs / vad.windows;
  console.log(`streams ${streams}, audio ${seconds} s each, windows ${vad.windows}`);
  console.log(`per window: ${perWindowCpu.toFixed(3)} ms CPU (process), ${(vad.busyMs / vad.windows).toFixed(3)} ms wall inside run()`);
  console.log(`per stream, model running continuously: ${((perWindowCpu / VAD_WINDOW_MS) * 100).toFixed(2)} % of one core`);
  console.log(`total wall ${wallMs.toFixed(0)} ms for ${(seconds * streams).toFixed(0)} s of audio (${((seconds * streams * 1000) / wallMs).toFixed(0)}× real time)`);
  console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  await vad.release();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
