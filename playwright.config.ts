import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./tests/helpers/chromium";

// End-to-end tests drive the system's real Chromium (no downloaded browser) against
// the stack `npm test` starts; CC_APP_URL and CC_CHROMIUM come from scripts/test.mjs.
export { FAKE_AUDIO } from "./tests/helpers/chromium";

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
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
});
