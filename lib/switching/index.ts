/**
 * The switch policies behind one factory. The director and the lab build a policy from a
 * SwitchConfig (parsed from the env, or a grid-search point) and feed it observations.
 */
import { canonicalPolicy, POLICY_NAMES, type SwitchConfig } from "./config";
import { Mixer } from "./mixer";
import { OursPolicy } from "./ours";
import { SeedPolicy } from "./seed";
import type { SwitchPolicy } from "./types";

export function createPolicy(config: SwitchConfig): SwitchPolicy {
  // An old name (ours, seed) in a hand-built config is read as the new one.
  switch (canonicalPolicy(String(config.policy))) {
    case "evidence":
      return new OursPolicy(config);
    case "loudest":
      return new SeedPolicy(config);
    default:
      // Unreachable for a parsed config; a hand-built one from JS could still get here.
      throw new Error(`Unknown switch policy "${String(config.policy)}": expected one of ${POLICY_NAMES.join(", ")}`);
  }
}

export * from "./types";
export * from "./config";
export * from "./level";
export { OursPolicy, type TrackSnapshot } from "./ours";
export { SeedPolicy } from "./seed";
export { CLEAR_TALKER_MS, Mixer, PINGPONG_CLEAR_MS, PINGPONG_WINDOW_MS, TALK_HANG_MS, type MixerConfig, type WideCause } from "./mixer";

/**
 * The director's decision maker: the configured policy under the vision mixer (wide shots,
 * director roles, takes). The lab's evidence and loudest rows run it too.
 */
export function createDirector(config: SwitchConfig): Mixer {
  return new Mixer(createPolicy(config), config, () => createPolicy(config));
}
