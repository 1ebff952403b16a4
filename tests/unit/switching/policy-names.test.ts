import { describe, expect, it } from "vitest";
import { createPolicy, DEFAULT_SWITCH_CONFIG, parseSwitchConfig, type SwitchConfig } from "@/lib/switching";
import { policySpec } from "@/lab/policies/index";

describe("the policies' names", () => {
  it("say what they do, and the old names still select the same policies", () => {
    expect(parseSwitchConfig({}).policy).toBe("evidence");
    expect(parseSwitchConfig({ SWITCH_POLICY: "ours" }).policy).toBe("evidence");
    expect(parseSwitchConfig({ SWITCH_POLICY: "SEED" }).policy).toBe("loudest");
    expect(() => parseSwitchConfig({ SWITCH_POLICY: "nope" })).toThrow(/SWITCH_POLICY must be one of evidence, loudest/);
    // A config built by hand with an old name (a lab candidate file, a script).
    const old = (policy: string) => createPolicy({ ...DEFAULT_SWITCH_CONFIG, policy } as unknown as SwitchConfig).name;
    expect(old("ours")).toBe("evidence");
    expect(old("seed")).toBe("loudest");
  });

  it("the lab's rows take the old names on the command line and report the new ones", () => {
    expect(policySpec("ours").name).toBe("evidence");
    expect(policySpec("ours-levels").name).toBe("evidence-levels");
    expect(policySpec("ours-levels").wantsSpeech).toBeFalsy();
    expect(policySpec("seed").name).toBe("loudest");
    expect(policySpec("evidence").wantsSpeech).toBe(true);
    expect(() => policySpec("nope")).toThrow(/unknown policy "nope"/);
  });
});
