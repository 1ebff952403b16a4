"use client";
/**
 * A live level for a local microphone track: Web Audio AnalyserNode + rAF. The value
 * is written straight onto `target` (data-level and the --level CSS variable) instead
 * of React state, so the meter moves at frame rate without re-rendering the page.
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

export function useMicLevel(track: LocalAudioTrack | null, target: RefObject<HTMLElement | null>): void {
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

    const write = (level: number) => {
      el.dataset.level = level.toFixed(3);
      el.style.setProperty("--level", level.toFixed(3));
    };
    const frame = () => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (let i = 0; i < buf.length; i++) {
        const v = buf[i] ?? 0;
        sum += v * v;
      }
      const level = levelFromRms(Math.sqrt(sum / buf.length));
      // Fast attack, slow release: speech reads as a steady bar, not a flicker.
      shown = level > shown ? level : shown * 0.9 + level * 0.1;
      if (shown < 0.005) shown = 0;
      write(shown);
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
      write(0);
    };
  }, [track, target]);
}
