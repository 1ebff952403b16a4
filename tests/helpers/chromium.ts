/**
 * The system's Chromium (never a downloaded one) and the fake camera and microphone
 * every Chromium in the tests and benchmarks runs with: the Playwright suite
 * (playwright.config.ts), the Firefox suite's Chromium participant and bench:join.
 */
import { join } from "node:path";

export const CHROMIUM_PATH = process.env.CC_CHROMIUM || process.env.PLAYWRIGHT_CHROMIUM_PATH || "/usr/bin/chromium";

/** The microphone: a recorded voice, so the director has speech to cut to. */
export const FAKE_AUDIO = join(__dirname, "..", "fixtures", "audio", "speech-alice.wav");

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  `--use-file-for-fake-audio-capture=${FAKE_AUDIO}`,
  "--disable-background-networking",
  "--disable-component-update",
  "--autoplay-policy=no-user-gesture-required",
];
