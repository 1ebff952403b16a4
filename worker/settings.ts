/** The director's settings, from the one env module plus the switch policy's section. */
import { env, rawEnv, type Env } from "@/lib/env";
import { parseSwitchConfig, type SwitchConfig } from "@/lib/switching/config";

export interface DirectorSettings {
  env: Env;
  switching: SwitchConfig;
}

export function loadSettings(): DirectorSettings {
  return { env: env(), switching: parseSwitchConfig(rawEnv()) };
}

/** The switch config as /debug shows it: numbers and names only, never a secret. */
export function configForDebug(c: SwitchConfig): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(c)) {
    if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") out[k] = v;
  }
  return out;
}
