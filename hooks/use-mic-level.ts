"use client";
/**
 * A live level for a local microphone track: Web Audio AnalyserNode + rAF. The value
 * is written straight onto `target` (data-level and the --level CSS variable) instead
 * of React state, so the meter moves at frame rate without re-rendering the page.
 *
 * An AudioContext only measures while it runs, and Firefox runs one only when it can
 * open an audio output: on a machine with no sound device or sound server (a kiosk, a
 * headless box, Linux without PulseAudio/PipeWire) it stays "suspended" for good and
 * the analyser reads silence. Chromium falls back to a fake output, Firefox doesn't.
 * So while the context isn't running, the meter shows `fallback`'s level instead: in a
 * call, the level LiveKit measured from the packets it received from this microphone
 * (speaker updates, every 200 ms; the same level /status shows). `data-source` says
 * which one is shown: "audio" (local, frame rate), "server" or "none".
 */
import { useEffect, type RefObject } from "react";
import { TrackEvent, type LocalAudioTrack } from "livekit-client";

/** dBFS mapped to 0..1: -60 dB (room tone) is empty, -10 dB (close, loud voice) is full. */
const FLOOR_DB = -60;
const CEIL_DB = -10;

export function levelFromRms(rms: number): number {
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / (CEIL_DB - FLOOR_DB)));
}

type AudioContextCtor = typeof AudioContext;

/** Anything that knows this microphone's level as a linear amplitude 0..1 (LiveKit's LocalParticipant). */
export interface LevelSource {
  readonly audioLevel: number;
}

export function useMicLevel(
  track: LocalAudioTrack | null,
  target: RefObject<HTMLElement | null>,
  fallback: LevelSource | null = null,
): void {
  useEffect(() => {
    const el = target.current;
    if (!track || !el) return;
    const Ctor: AudioContextCtor | undefined =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext;
    if (!Ctor) return;

    const ctx = new Ctor();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    analyser.smoothingTimeConstant = 0;
    const buf = new Float32Array(analyser.fftSize);
    let source: MediaStreamAudioSourceNode | null = null;
    let raf = 0;
    let shown = 0;

    const connectSource = () => {
      source?.disconnect();
      source = null;
      const mst = track.mediaStreamTrack;
      if (!mst || mst.readyState === "ended") return;
      source = ctx.createMediaStreamSource(new MediaStream([mst]));
      source.connect(analyser);
    };
    connectSource();

    const write = (level: number, from: "audio" | "server" | "none") => {
      el.dataset.level = level.toFixed(3);
      el.dataset.source = from;
      el.style.setProperty("--level", level.toFixed(3));
    };
    const measure = (): [number, "audio" | "server" | "none"] => {
      if (ctx.state !== "running") return fallback ? [levelFromRms(fallback.audioLevel), "server"] : [0, "none"];
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (let i = 0; i < buf.length; i++) {
        const v = buf[i] ?? 0;
        sum += v * v;
      }
      return [levelFromRms(Math.sqrt(sum / buf.length)), "audio"];
    };
    const frame = () => {
      const [level, from] = measure();
      // Fast attack, slow release: speech reads as a steady bar, not a flicker.
      shown = level > shown ? level : shown * 0.9 + level * 0.1;
      if (shown < 0.005) shown = 0;
      write(shown, from);
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);

    // The context starts suspended without a user gesture in some browsers; resume on
    // the first touch anywhere.
    const resume = () => {
      if (ctx.state === "suspended") void ctx.resume().catch(() => undefined);
    };
    resume();
    window.addEventListener("pointerdown", resume);
    // LiveKit swaps the MediaStreamTrack on device changes and restarts.
    track.on(TrackEvent.Restarted, connectSource);

    return () => {
      cancelAnimationFrame(raf);
      window.removeEventListener("pointerdown", resume);
      track.off(TrackEvent.Restarted, connectSource);
      source?.disconnect();
      void ctx.close().catch(() => undefined);
      write(0, "none");
    };
  }, [track, target, fallback]);
}
