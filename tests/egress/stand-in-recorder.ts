/**
 * STAND-IN FOR LIVEKIT EGRESS, used by `npm run test:egress` only when no Egress binary
 * can be had (EGRESS_BIN unset, none on PATH, and the Go module proxy refused to serve
 * github.com/livekit/egress when this was written). It does what Egress's room
 * composite does, with the same parts: Chromium in Xvfb at 1280×720 playing into its
 * own PulseAudio sink, loading <layout>?url=…&token=…&layout=… with a recorder token,
 * and encoding the screen and the sink from the moment the page logs START_RECORDING
 * until it is stopped (Egress: END_RECORDING or a stop request). Egress encodes with
 * GStreamer; this uses ffmpeg (x264 + Opus in MP4, the format our Egress requests ask
 * for). What it does not stand in for: Egress's Redis/RPC with LiveKit, its CPU
 * admission, its GStreamer pipeline and its A/V sync logic.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Recorder {
  /** Wall-clock ms of the recording's first video frame (t = 0 in the file). */
  started: Promise<number>;
  /** Stop encoding and tear everything down; resolves with the wall-clock stop time. */
  stop(): Promise<number>;
  /** Processes started, for the CPU measurement. */
  pids(): number[];
}

function freeDisplay(): number {
  for (let n = 90; n < 190; n++) if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) return n;
  throw new Error("no free X display between :90 and :189");
}

async function waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopChild(child: ChildProcess | null, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    child.kill(signal);
  });
}

export async function startStandInRecorder(opts: { pageUrl: string; chromium: string; outFile: string; log: (s: string) => void }): Promise<Recorder> {
  const display = freeDisplay();
  const dir = mkdtempSync(join(tmpdir(), "cc-recorder-"));
  const pulseSocket = join(dir, "pulse", "native");
  mkdirSync(join(dir, "pulse"), { recursive: true });
  const env = { ...process.env, DISPLAY: `:${display}`, PULSE_SERVER: `unix:${pulseSocket}`, HOME: dir, XDG_RUNTIME_DIR: dir };
  const children: ChildProcess[] = [];
  let ffmpeg: ChildProcess | null = null;
  /** How far ffmpeg has encoded (ms of output), from its -progress lines. */
  let encodedMs = 0;
  let startedAt = 0;

  const xvfb = spawn("Xvfb", [`:${display}`, "-screen", "0", "1280x720x24", "-nolisten", "tcp"], {
    stdio: "ignore",
  });
  children.push(xvfb);
  await waitFor(() => existsSync(`/tmp/.X11-unix/X${display}`), `Xvfb :${display}`, 10_000);

  const pulse = spawn(
    "pulseaudio",
    [
      "-n",
      "--daemonize=no",
      "--exit-idle-time=-1",
      "--use-pid-file=no",
      "--disallow-exit",
      "-L",
      `module-native-protocol-unix socket=${pulseSocket} auth-anonymous=1`,
      "-L",
      "module-null-sink sink_name=program rate=48000",
      "-L",
      "module-always-sink",
    ],
    { env, stdio: ["ignore", "ignore", "pipe"] },
  );
  children.push(pulse);
  await waitFor(() => existsSync(pulseSocket), "PulseAudio", 10_000);

  let resolveStart!: (t: number) => void;
  let rejectStart!: (e: Error) => void;
  const started = new Promise<number>((res, rej) => {
    resolveStart = res;
    rejectStart = rej;
  });
  started.catch(() => undefined);

  const startEncoding = () => {
    if (ffmpeg) return;
    opts.log("recorder: START_RECORDING seen; encoding");
    ffmpeg = spawn(
      "ffmpeg",
      [
        "-hide_banner",
        "-nostats",
        "-thread_queue_size", "512",
        "-f", "x11grab", "-draw_mouse", "0", "-framerate", "25", "-video_size", "1280x720", "-i", `:${display}`,
        "-thread_queue_size", "512",
        "-f", "pulse", "-i", "program.monitor",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "50",
        "-c:a", "libopus", "-b:a", "96k", "-ar", "48000",
        "-progress", "pipe:1",
        "-y", opts.outFile,
      ],
      { env, stdio: ["pipe", "pipe", "pipe"] },
    );
    ffmpeg.stdout!.setEncoding("utf8");
    ffmpeg.stdout!.on("data", (d: string) => {
      for (const m of d.matchAll(/out_time_us=(\d+)/g)) encodedMs = Number(m[1]) / 1000;
    });
    let err = "";
    ffmpeg.stderr!.setEncoding("utf8");
    ffmpeg.stderr!.on("data", (d: string) => {
      err += d;
      // x11grab stamps frames with the wall clock; input #0's start is t = 0 in the file.
      const m = /Input #0, x11grab[\s\S]*?start: (\d+\.\d+)/.exec(err);
      if (m && !startedAt) {
        startedAt = Math.round(Number(m[1]) * 1000);
        resolveStart(startedAt);
      }
    });
    ffmpeg.on("exit", (code) => {
      if (code !== 0 && code !== 255) rejectStart(new Error(`ffmpeg exited with ${code}: ${err.slice(-800)}`));
    });
  };

  const chrome = spawn(
    opts.chromium,
    [
      "--no-sandbox",
      "--kiosk",
      "--window-position=0,0",
      "--window-size=1280,720",
      "--autoplay-policy=no-user-gesture-required",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--password-store=basic",
      "--enable-logging=stderr",
      "--v=0",
      `--user-data-dir=${join(dir, "chrome")}`,
      opts.pageUrl,
    ],
    { env, stdio: ["ignore", "ignore", "pipe"] },
  );
  children.push(chrome);
  let chromeErr = "";
  chrome.stderr!.setEncoding("utf8");
  chrome.stderr!.on("data", (d: string) => {
    chromeErr = (chromeErr + d).slice(-20_000);
    if (d.includes('"START_RECORDING"')) startEncoding();
  });
  chrome.on("exit", (code) => rejectStart(new Error(`chromium exited with ${code}: ${chromeErr.slice(-800)}`)));

  return {
    started,
    pids: () => [...children, ...(ffmpeg ? [ffmpeg] : [])].map((c) => c.pid!).filter(Boolean),
    async stop() {
      const at = Date.now();
      if (ffmpeg && ffmpeg.exitCode === null) {
        // Like Egress's end of stream: let the encoder catch up with what was captured
        // up to now (it lags on a loaded machine), then stop.
        const target = at - startedAt - 200;
        const t0 = Date.now();
        while (startedAt && encodedMs < target && Date.now() - t0 < 30_000 && ffmpeg.exitCode === null) {
          await new Promise((r) => setTimeout(r, 50));
        }
        opts.log(`recorder: stopping; encoder at ${(encodedMs / 1000).toFixed(2)} s of ${((at - startedAt) / 1000).toFixed(2)} s (waited ${Date.now() - t0} ms)`);
        const done = new Promise<void>((r) => ffmpeg!.once("exit", () => r()));
        ffmpeg.stdin!.end("q");
        await Promise.race([done, new Promise((r) => setTimeout(r, 15_000))]);
        await stopChild(ffmpeg, "SIGINT");
      }
      await stopChild(chrome);
      await stopChild(pulse);
      await stopChild(xvfb);
      rmSync(dir, { recursive: true, force: true });
      return at;
    },
  };
}
