/**
 * The voice model of the director's input stage (and of the lab's offline `speech` track).
 * The director wants SpeechStage (stage.ts), which bundles the pieces below.
 *
 *   const vad = await SileroVad.load();            // once per process
 *   const det = new VoiceDetector(vad);             // per participant
 *   const gate = new SpeechGate();                  // per participant
 *   // per 20 ms frame of 16 kHz audio (320 samples) with its dBov level:
 *   const run = gate.update(t, dbov);
 *   const p = await det.push(pcm16k, run);          // null when not evaluated
 *   // levels observation: speech[id] = p, only when p !== null
 */
export { SileroVad, VAD_SAMPLE_RATE, VAD_WINDOW, VAD_WINDOW_MS, sileroModelPath } from "./silero";
export { VoiceDetector, PREROLL_WINDOWS } from "./detector";
export { SpeechGate, DEFAULT_GATE, type SpeechGateOptions } from "./gate";
export { Decimate3 } from "./resample";
export { SpeechStage, type SpeechStageStats } from "./stage";
