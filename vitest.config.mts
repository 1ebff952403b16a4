import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit tests: pure modules only, no servers. Integration tests have their own config.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
  },
});
