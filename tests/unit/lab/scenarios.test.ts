import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { familyOf, loadScenarioDir, parseScenario } from "@/lab/scenario";

const DIR = join(__dirname, "../../../lab/scenarios");

describe("committed scenarios", () => {
  const loaded = loadScenarioDir(DIR);

  it("all parse, and every family has at least 5 seeds split into tuning and held-out", () => {
    expect(loaded.length).toBeGreaterThanOrEqual(60);
    const families = new Map<string, { tuning: number; heldout: number }>();
    for (const { scenario } of loaded) {
      const f = families.get(familyOf(scenario)) ?? { tuning: 0, heldout: 0 };
      f[scenario.split]++;
      families.set(familyOf(scenario), f);
    }
    expect([...families.keys()].sort()).toEqual(["s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09", "s10", "s11", "s12", "s13", "s14", "s15", "s16", "s17"]);
    for (const [, f] of families) {
      expect(f.tuning + f.heldout).toBeGreaterThanOrEqual(5);
      expect(f.tuning).toBeGreaterThan(0);
      expect(f.heldout).toBeGreaterThan(0);
    }
  });
});

describe("scenario format", () => {
  const tmp = mkdtempSync(join(tmpdir(), "lab-scen-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("accepts the issue's example verbatim", () => {
    const s = parseScenario(`
name: s1-turns-4talkers
seed: 3
duration: 20
participants:
  - id: alice
    voice: en-us+f3
    gain_db: 0
    noise: { type: pink, dbfs: -60 }
    group: room-a
  - id: bob
    voice: en-gb+m3
leak_db: { alice: { bob: -9 } }
network: { jitter_ms: 10, loss: 0.02, dtx: true }
events:
  - { t: 0.5, who: alice, say: "Let's look at the numbers, starting with revenue." }
  - { t: 3.1, who: bob, say: "Right.", role: backchannel }
  - { t: 4.0, who: bob, sfx: cough, gain_db: 6 }
  - { t: 6.2, who: bob, say: "I disagree, the churn figure is wrong.", overlap_ms: 400 }
`);
    expect(s.participants[1]?.rate).toBe(170);
    expect(s.events).toHaveLength(4);
    expect(s.split).toBe("tuning");
  });

  it("rejects unknown participants and unknown effects with a readable message", () => {
    expect(() => parseScenario("name: x\nseed: 1\nparticipants: [{ id: a }]\nevents: [{ t: 1, who: b, say: hi }]", "x.yaml")).toThrow(/unknown participant b/);
    expect(() => parseScenario("name: x\nseed: 1\nparticipants: [{ id: a }]\nevents: [{ t: 1, who: a, sfx: whistle }]", "x.yaml")).toThrow(/x\.yaml/);
  });

  it("loads any directory, recursively, and refuses duplicate names", () => {
    mkdirSync(join(tmp, "sub"));
    const body = "name: dup\nseed: 1\nparticipants: [{ id: a }]\nevents: [{ t: 1, who: a, say: hi }]\n";
    writeFileSync(join(tmp, "one.yaml"), body);
    expect(loadScenarioDir(tmp)).toHaveLength(1);
    writeFileSync(join(tmp, "sub", "two.yml"), body);
    expect(() => loadScenarioDir(tmp)).toThrow(/also used by/);
  });
});
