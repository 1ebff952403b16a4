import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The fault tests kill and restart the stack's own processes (scripts/test.mjs runs them
// as the last step, "faults", so no other test shares the stack meanwhile).
export default defineConfig({
  ...base,
  testDir: "tests/faults",
  timeout: 150_000,
  // No traces: these tests run long under load, and a trace of two live pages is large.
  use: { ...base.use, trace: "off" },
});
