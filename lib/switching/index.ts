/**
 * The switch policies behind one factory. The director and the lab build a policy from a
 * SwitchConfig (parsed from the env, or a grid-search point) and feed it observations.
 */
import type { SwitchConfig } from "./config";
import { OursPolicy } from "./ours";
import { SeedPolicy } from "./seed";
import type { SwitchPolicy } from "./types";

export function createPolicy(config: SwitchConfig): SwitchPolicy {
  switch (config.policy) {
    case "ours":
      return new OursPolicy(config);
    case "seed":
      return new SeedPolicy(config);
    default:
      // Unreachable for a parsed config; a hand-built one from JS could still get here.
      throw new Error(`Unknown switch policy "${String(config.policy)}": expected one of ours, seed`);
  }
}

export * from "./types";
export * from "./config";
export * from "./level";
export { OursPolicy, type TrackSnapshot } from "./ours";
export { SeedPolicy } from "./seed";
