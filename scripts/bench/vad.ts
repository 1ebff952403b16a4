/**
 * Cost of the voice model (Silero VAD through lib/speech) on this machine.
 *
 *   npm run bench:vad [-- --seconds 10 --streams 16 --repeats 3]
 *
 * Runs N participant streams of the committed speech fixtures (looped) through one shared
 * model, each with its own detector, ungated (the worst case: everyone above their floor),
 * in four ways side by side, alternating, `--repeats` times each:
 *  - `one by one, back to back`: each window runs alone as soon as it is complete (each
 *    push awaited, as the lab does), frames as fast as the model takes them;
 *  - `batched, back to back`: every stream's 20 ms frame queued, one flush per frame;
 *  - `one by one, 20 ms apart` and `batched, 20 ms apart`: the same on a real 20 ms clock,
 *    as in the director (`--paced-seconds` of audio each): the first is how the director
 *    ran windows before batching, the second how its clock runs them now (worker/host.ts).
 *    A run of the model costs several times more when runs are 20 ms apart than back to
 *    back, so what the director pays is the paced rows.
 * Prints the median CPU per window (the whole process), the mean batch size and the share
 * of one core per continuously evaluated stream. Not part of `npm test`: it measures.
 */
import { parseArgs } from "node:util";
import { Decimate3, SileroVad, VAD_WINDOW_MS, VoiceDetector } from "@/lib/speech";
import { readWav } from "@/tests/helpers/wav";

const FRAME = 320; // 20 ms at 16 kHz

interface Run {
  cpuPerWindowMs: number;
  batch: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function once(vad: SileroVad, clips: Float32Array[], streams: number, seconds: number, batched: boolean, paced = false): Promise<Run> {
  vad.autoFlush = !batched;
  const dets = Array.from({ length: streams }, () => new VoiceDetector(vad));
  const w0 = vad.windows;
  const r0 = vad.runs;
  const cpu0 = process.cpuUsage();
  const frames = Math.floor((seconds * 16000) / FRAME);
  for (let f = 0; f < frames; f++) {
    const slice = (i: number) => {
      const clip = clips[i % clips.length] as Float32Array;
      const at = (f * FRAME + i * 4000) % (clip.length - FRAME);
      return clip.subarray(at, at + FRAME);
    };
    if (batched) {
      dets.forEach((d, i) => d.feed(slice(i), true));
      await vad.flush();
      if (paced) await sleep(20);
    } else {
      for (let i = 0; i < dets.length; i++) {
        await (dets[i] as VoiceDetector).push(slice(i), true);
        // Paced: the streams' frames arrive spread over the 20 ms, as participants' do.
        if (paced) await sleep(20 / dets.length);
      }
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const windows = vad.windows - w0;
  return { cpuPerWindowMs: (cpu.user + cpu.system) / 1000 / windows, batch: windows / (vad.runs - r0) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "10" },
      "paced-seconds": { type: "string", default: "4" },
      streams: { type: "string", default: "16" },
      repeats: { type: "string", default: "3" },
    },
  });
  const seconds = Number(values.seconds);
  const streams = Number(values.streams);
  const repeats = Number(values.repeats);
  const paced = Number(values["paced-seconds"]);
  const vad = await SileroVad.load();
  const clips = ["speech-alice", "speech-bob", "speech-carol"].map((f) => new Decimate3().process(readWav(`tests/fixtures/audio/${f}.wav`).samples));
  // Warm-up, not measured: the first runs allocate the session's buffers.
  await once(vad, clips, streams, 1, false);
  await once(vad, clips, streams, 1, true);
  const runs: Record<string, Run[]> = { "one by one, back to back": [], "batched, back to back": [], "one by one, 20 ms apart": [], "batched, 20 ms apart": [] };
  for (let r = 0; r < repeats; r++) {
    runs["one by one, back to back"]!.push(await once(vad, clips, streams, seconds, false));
    runs["batched, back to back"]!.push(await once(vad, clips, streams, seconds, true));
    runs["one by one, 20 ms apart"]!.push(await once(vad, clips, streams, paced, false, true));
    runs["batched, 20 ms apart"]!.push(await once(vad, clips, streams, paced, true, true));
  }
  console.log(`${streams} streams of speech, ungated (${seconds} s back to back, ${paced} s paced); medians of ${repeats} alternating runs (CPU of the whole process)`);
  console.log("| mode | CPU per window (ms) | windows per run of the model | % of one core per evaluated stream |");
  console.log("|---|---|---|---|");
  for (const [name, rs] of Object.entries(runs)) {
    const cpu = median(rs.map((x) => x.cpuPerWindowMs));
    console.log(`| ${name} | ${cpu.toFixed(3)} | ${median(rs.map((x) => x.batch)).toFixed(1)} | ${((cpu / VAD_WINDOW_MS) * 100).toFixed(2)} |`);
  }
  console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  await vad.release();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
