import { describe, expect, it } from "vitest";
import { FailureLimiter } from "@/lib/admin/rate-limit";

describe("failed sign-ins per client", () => {
  it("blocks the 6th try within a minute, with the seconds until the oldest failure expires", () => {
    const l = new FailureLimiter({ max: 5, windowMs: 60_000, globalMax: 100 });
    const t = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(l.check("a", t + i * 1000).blocked).toBe(false);
      l.fail("a", t + i * 1000);
    }
    const v = l.check("a", t + 5000);
    expect(v.blocked).toBe(true);
    expect(v.retryAfterS).toBe(55);
    expect(l.check("b", t + 5000).blocked).toBe(false);
    // A minute after the first failure, one slot frees up.
    expect(l.check("a", t + 60_000).blocked).toBe(false);
  });

  it("a correct password clears the client's failures", () => {
    const l = new FailureLimiter({ max: 5, windowMs: 60_000, globalMax: 100 });
    for (let i = 0; i < 4; i++) l.fail("a", i);
    l.succeed("a");
    for (let i = 0; i < 4; i++) l.fail("a", 10 + i);
    expect(l.check("a", 20).blocked).toBe(false);
  });

  it("caps failures from everyone, so forged client addresses do not buy unlimited tries", () => {
    const l = new FailureLimiter({ max: 5, windowMs: 60_000, globalMax: 20 });
    for (let i = 0; i < 20; i++) l.fail(`forged-${i}`, i);
    expect(l.check("fresh", 100).blocked).toBe(true);
    expect(l.check("fresh", 60_001).blocked).toBe(false);
  });

  it("keeps memory bounded", () => {
    const l = new FailureLimiter({ max: 5, windowMs: 1000, globalMax: 1e9, maxClients: 100 });
    for (let i = 0; i < 1000; i++) l.fail(`c${i}`, i * 10);
    expect((l as unknown as { byClient: Map<string, unknown> }).byClient.size).toBeLessThanOrEqual(101);
  });
});
