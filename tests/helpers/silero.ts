/** The real Silero voice model for a unit-test suite. */
import { afterAll, beforeAll } from "vitest";
import { SileroVad } from "@/lib/speech";

/**
 * Loads the model before the calling describe block's tests and releases it after them
 * (loading costs about a second, so a suite shares one). Read `.vad` inside the tests.
 */
export function sileroForSuite(): { readonly vad: SileroVad } {
  let vad: SileroVad | undefined;
  beforeAll(async () => {
    vad = await SileroVad.load();
  });
  afterAll(async () => {
    await vad?.release();
  });
  return {
    get vad() {
      if (!vad) throw new Error("the Silero model is only loaded inside the suite's tests");
      return vad;
    },
  };
}
