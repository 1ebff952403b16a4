import { describe, expect, it } from "vitest";
import {
  DEFAULT_SWITCH_CONFIG,
  SWITCH_PARAMETERS,
  createPolicy,
  describeSwitchConfig,
  parseSwitchConfig,
  validateSwitchConfig,
  type SwitchConfig,
} from "@/lib/switching";

describe("SWITCH_PARAMETERS", () => {
  it("describes every config key exactly once, with unique env names", () => {
    const keys = SWITCH_PARAMETERS.map((p) => p.key).sort();
    expect(keys).toEqual(Object.keys(DEFAULT_SWITCH_CONFIG).sort());
    const envs = SWITCH_PARAMETERS.map((p) => p.env);
    expect(new Set(envs).size).toBe(envs.length);
    for (const p of SWITCH_PARAMETERS) {
      expect(p.meaning.length).toBeGreaterThan(10);
      if (p.kind === "number") {
        expect(p.default).toBeGreaterThanOrEqual(p.min);
        expect(p.default).toBeLessThanOrEqual(p.max);
        expect(p.env === "AUDIO_THRESHOLD" || p.env === "TIME_WINDOW" || p.env.startsWith("SWITCH_")).toBe(true);
      }
    }
  });

  it("keeps the original settings' defaults", () => {
    expect(DEFAULT_SWITCH_CONFIG.policy).toBe("evidence");
    expect(DEFAULT_SWITCH_CONFIG.audioThreshold).toBe(500);
    expect(DEFAULT_SWITCH_CONFIG.timeWindowS).toBe(1);
  });
});

describe("parseSwitchConfig", () => {
  it("returns the defaults for an empty env and ignores blank values", () => {
    expect(parseSwitchConfig({})).toEqual(DEFAULT_SWITCH_CONFIG);
    expect(parseSwitchConfig({ SWITCH_DWELL_MS: "  ", SWITCH_POLICY: "" })).toEqual(DEFAULT_SWITCH_CONFIG);
  });

  it("reads every variable", () => {
    const env: Record<string, string> = {};
    const expected: Record<string, unknown> = {};
    for (const p of SWITCH_PARAMETERS) {
      if (p.kind === "enum") {
        env[p.env] = "LOUDEST";
        expected[p.key] = "loudest";
      } else {
        // A value different from the default but inside the range.
        const v = p.default === p.max ? p.min : p.max;
        env[p.env] = String(v);
        expected[p.key] = v;
      }
    }
    // max window ≥ max min-speech is not guaranteed by the loop; keep the pair consistent.
    env["SWITCH_MIN_SPEECH_MS"] = "300";
    expected["minSpeechMs"] = 300;
    expect(parseSwitchConfig(env)).toEqual(expected);
  });

  it("rejects a non-number, naming the variable and its range", () => {
    expect(() => parseSwitchConfig({ SWITCH_DWELL_MS: "soon" })).toThrow(
      /SWITCH_DWELL_MS must be a number from 0 to 60000 ms \(got "soon"\)/,
    );
  });

  it("rejects out-of-range values and unknown policies", () => {
    expect(() => parseSwitchConfig({ AUDIO_THRESHOLD: "40000" })).toThrow(/AUDIO_THRESHOLD .*1 to 32767/);
    expect(() => parseSwitchConfig({ TIME_WINDOW: "-1" })).toThrow(/TIME_WINDOW .*0\.02 to 60 s/);
    expect(() => parseSwitchConfig({ SWITCH_COLOCATED_SPREAD_DB: "31" })).toThrow(/SWITCH_COLOCATED_SPREAD_DB/);
    expect(() => parseSwitchConfig({ SWITCH_POLICY: "nope" })).toThrow(/SWITCH_POLICY must be one of evidence, loudest/);
    expect(() => parseSwitchConfig({ SWITCH_TAKEOVER_MS: "Infinity" })).toThrow(/SWITCH_TAKEOVER_MS/);
  });

  it("reports every bad variable at once", () => {
    let message = "";
    try {
      parseSwitchConfig({ SWITCH_DWELL_MS: "x", SWITCH_TAKEOVER_MARGIN_DB: "-3" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/SWITCH_DWELL_MS must be/);
    expect(message).toMatch(/SWITCH_TAKEOVER_MARGIN_DB must be a number from 0 to 60 dB \(got "-3"\)/);
  });

  it("rejects a speech window shorter than the evidence it must hold", () => {
    expect(() => parseSwitchConfig({ SWITCH_MIN_SPEECH_MS: "500", SWITCH_SPEECH_WINDOW_MS: "300" })).toThrow(
      /SWITCH_SPEECH_WINDOW_MS \(300\) must be at least SWITCH_MIN_SPEECH_MS \(500\)/,
    );
  });
});

describe("validateSwitchConfig", () => {
  it("accepts the defaults and rejects a bad hand-built config by env name", () => {
    expect(validateSwitchConfig({ ...DEFAULT_SWITCH_CONFIG })).toEqual(DEFAULT_SWITCH_CONFIG);
    expect(() => validateSwitchConfig({ ...DEFAULT_SWITCH_CONFIG, dwellMs: -1 })).toThrow(/SWITCH_DWELL_MS/);
    const extra = { ...DEFAULT_SWITCH_CONFIG, bogus: 1 } as unknown as SwitchConfig;
    expect(() => validateSwitchConfig(extra)).toThrow();
  });
});

describe("describeSwitchConfig", () => {
  it("lists every setting with its current value", () => {
    const rows = describeSwitchConfig({ ...DEFAULT_SWITCH_CONFIG, dwellMs: 1234 });
    expect(rows).toHaveLength(SWITCH_PARAMETERS.length);
    expect(rows.find((r) => r.env === "SWITCH_DWELL_MS")).toMatchObject({ value: 1234, default: DEFAULT_SWITCH_CONFIG.dwellMs, unit: "ms" });
    expect(rows.find((r) => r.env === "SWITCH_POLICY")?.value).toBe("evidence");
  });
});

describe("createPolicy", () => {
  it("builds the policy the config names", () => {
    expect(createPolicy(DEFAULT_SWITCH_CONFIG).name).toBe("evidence");
    expect(createPolicy(parseSwitchConfig({ SWITCH_POLICY: "loudest" })).name).toBe("loudest");
    expect(createPolicy(DEFAULT_SWITCH_CONFIG).program).toBeNull();
    const bad = { ...DEFAULT_SWITCH_CONFIG, policy: "nope" } as unknown as SwitchConfig;
    expect(() => createPolicy(bad)).toThrow(/nope/);
  });
});
