import { describe, expect, it } from "vitest";
import { FailureLimiter, WindowCounter } from "@/lib/admin/rate-limit";

describe("failed sign-ins per client", () => {
  it("blocks the 6th try within a minute, with the seconds until the oldest failure expires", () => {
    const l = new FailureLimiter({ max: 5, windowMs: 60_000 });
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
    const l = new FailureLimiter({ max: 5, windowMs: 60_000 });
    for (let i = 0; i < 4; i++) l.fail("a", i);
    l.succeed("a");
    for (let i = 0; i < 4; i++) l.fail("a", 10 + i);
    expect(l.check("a", 20).blocked).toBe(false);
  });

  it("never blocks a client because of other clients' failures", () => {
    const l = new FailureLimiter({ max: 5, windowMs: 60_000 });
    for (let i = 0; i < 1000; i++) l.fail(`other-${i % 200}`, i);
    expect(l.check("admin", 1000).blocked).toBe(false);
  });

  it("keeps memory bounded", () => {
    const l = new FailureLimiter({ max: 5, windowMs: 1000, maxClients: 100 });
    for (let i = 0; i < 1000; i++) l.fail(`c${i}`, i * 10);
    expect(l.clients).toBeLessThanOrEqual(100);
  });
});

describe("a sliding-minute counter (token requests)", () => {
  it("allows max per window and refuses the next with the seconds until a slot frees", () => {
    const c = new WindowCounter({ max: 3, windowMs: 60_000 });
    const t = 5_000_000;
    expect(c.take("a", t).blocked).toBe(false);
    expect(c.take("a", t + 10_000).blocked).toBe(false);
    expect(c.take("a", t + 20_000).blocked).toBe(false);
    const v = c.take("a", t + 30_000);
    expect(v).toEqual({ blocked: true, retryAfterS: 30 });
    // a refused request is not counted, so the client is free once the oldest leaves
    expect(c.take("a", t + 60_000).blocked).toBe(false);
    expect(c.take("b", t + 30_000).blocked).toBe(false);
  });
});
