import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Integration tests run against the real stack that `npm test` starts (scripts/test.mjs
// passes its URLs in CC_* variables). One file at a time: they share one LiveKit, and
// the bots' real-time audio needs the machine's two cores.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["tests/integration/**/*.test.ts"],
    environment: "node",
    // Every response a test fetches is checked for the API secret and admin password.
    setupFiles: ["tests/helpers/no-secrets-setup.ts"],
    fileParallelism: false,
    // Only the fuzz suite marks tests concurrent: its endpoints run side by side.
    maxConcurrency: 6,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
