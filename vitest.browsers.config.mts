import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The Firefox and WebKit end-to-end suites (tests/browsers/): puppeteer-core and
// selenium-webdriver against the stack `npm test` starts, like the Playwright suite.
// scripts/test.mjs runs each engine's file as its own step. One file and one test at a
// time: browsers, bots and the stack share the machine's two cores.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["tests/browsers/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/helpers/no-secrets-setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
