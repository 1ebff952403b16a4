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
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
