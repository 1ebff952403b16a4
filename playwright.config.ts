import { defineConfig, devices } from "@playwright/test";
import { join } from "node:path";

// End-to-end tests drive the system's real Chromium (no downloaded browser) against
// the stack `npm test` starts; CC_APP_URL and CC_CHROMIUM come from scripts/test.mjs.
const chromium = process.env.CC_CHROMIUM || process.env.PLAYWRIGHT_CHROMIUM_PATH || "/usr/bin/chromium";
export const FAKE_AUDIO = join(__dirname, "tests", "fixtures", "audio", "speech-alice.wav");

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json"]],
  outputDir: ".cache/test-results",
  use: {
    baseURL: process.env.CC_APP_URL ?? "http://127.0.0.1:9000",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    permissions: ["camera", "microphone"],
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        `--use-file-for-fake-audio-capture=${FAKE_AUDIO}`,
        "--disable-background-networking",
        "--disable-component-update",
        "--autoplay-policy=no-user-gesture-required",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
});
