/**
 * Speech via espeak-ng, resampled to 48 kHz by sox. Both are deterministic for fixed input
 * as long as sox is told not to dither (-D) and to use its fixed random seed (-R): sox
 * dithers by default when it reduces bit depth, and its dither is random per run.
 */
import { spawn, spawnSync } from "node:child_process";
import { SAMPLE_RATE } from "./synth";

export const ESPEAK = process.env.LAB_ESPEAK ?? "/usr/bin/espeak-ng";
export const SOX = process.env.LAB_SOX ?? "/usr/bin/sox";

export interface TtsRequest {
  text: string;
  voice: string;
  rate: number;
  pitch: number;
}

export function toolVersions(): string {
  const v = (cmd: string, arg: string): string => {
    const r = spawnSync(cmd, [arg], { encoding: "utf8" });
    if (r.error) throw new Error(`${cmd} is not available: ${r.error.message}`);
    return (r.stdout || r.stderr).trim().split("\n")[0] ?? "";
  };
  return `${v(ESPEAK, "--version")} | ${v(SOX, "--version")}`;
}

function runTts(req: TtsRequest): Promise<Float32Array> {
  return new Promise((resolvePromise, reject) => {
    // "--" keeps text that starts with "-" from being read as an option.
    const espeak = spawn(ESPEAK, ["-v", req.voice, "-s", String(req.rate), "-p", String(req.pitch), "--stdout", "--", req.text]);
    const sox = spawn(SOX, ["-D", "-R", "-t", "wav", "-", "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", String(SAMPLE_RATE), "-"]);
    espeak.stdout.pipe(sox.stdin);
    const chunks: Buffer[] = [];
    let stderr = "";
    sox.stdout.on("data", (c: Buffer) => chunks.push(c));
    sox.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    espeak.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    espeak.on("error", reject);
    sox.on("error", reject);
    sox.on("close", (code) => {
      if (code !== 0) return reject(new Error(`sox exited ${code} for "${req.text}": ${stderr}`));
      const buf = Buffer.concat(chunks);
      // Copy into a fresh, aligned buffer: Float32Array needs 4-byte alignment.
      const out = new Float32Array(buf.length / 4);
      new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4));
      if (out.length === 0) return reject(new Error(`espeak-ng produced no audio for "${req.text}" (${req.voice}): ${stderr}`));
      resolvePromise(out);
    });
  });
}

/** Runs at most `limit` TTS jobs at once: generation shares the machine with other work. */
export class TtsPool {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  private readonly memo = new Map<string, Promise<Float32Array>>();

  constructor(private readonly limit = 2) {}

  speak(req: TtsRequest): Promise<Float32Array> {
    const key = `${req.voice}|${req.rate}|${req.pitch}|${req.text}`;
    let p = this.memo.get(key);
    if (!p) {
      p = this.schedule(() => runTts(req));
      this.memo.set(key, p);
    }
    return p;
  }

  private schedule<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((res, rej) => {
      const start = (): void => {
        this.active++;
        job()
          .then(res, rej)
          .finally(() => {
            this.active--;
            this.queue.shift()?.();
          });
      };
      if (this.active < this.limit) start();
      else this.queue.push(start);
    });
  }
}
