import { EventEmitter } from "node:events";
import { spawn, type ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { backoffDelay, supervise } from "../../scripts/lib/supervise.mjs";

/** A child process stand-in: exits when the test says so. */
class FakeChild extends EventEmitter {
  constructor(readonly n: number) {
    super();
  }
  exit(code: number | null, signal: NodeJS.Signals | null = null) {
    this.emit("exit", code, signal);
  }
}

/** A clock the test advances by hand; timers fire in order of their due time. */
function fakeClock() {
  let t = 0;
  let id = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => {
      timers.set(++id, { at: t + ms, fn });
      return id;
    },
    clearTimer: (h: number) => void timers.delete(h),
    pending: () => [...timers.values()].map((x) => x.at - t),
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const next = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > end) break;
        timers.delete(next[0]);
        t = next[1].at;
        next[1].fn();
      }
      t = end;
    },
  };
}

function harness(opts: { failStart?: (n: number) => boolean } = {}) {
  const clock = fakeClock();
  const children: FakeChild[] = [];
  const lines: string[] = [];
  let n = 0;
  const sup = supervise<FakeChild>({
    name: "livekit",
    start: () => {
      n++;
      if (opts.failStart?.(n)) throw new Error("spawn ENOENT");
      const c = new FakeChild(n);
      children.push(c);
      return c;
    },
    log: (l) => lines.push(l),
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer as (t: never) => void,
  });
  return { sup, clock, children, lines };
}

describe("supervise", () => {
  it("doubles the backoff up to its cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it("restarts a crashed child after the backoff, with one log line per crash", () => {
    const { sup, clock, children, lines } = harness();
    expect(children).toHaveLength(1);
    clock.advance(2000);
    children[0]!.exit(null, "SIGKILL");
    expect(lines).toEqual(["livekit killed by SIGKILL after 2.0 s; restarting it in 0.5 s (restart 1)"]);
    clock.advance(499);
    expect(children).toHaveLength(1);
    clock.advance(1);
    expect(children).toHaveLength(2);
    expect(sup.child).toBe(children[1]);
    expect(sup.restarts).toBe(1);
  });

  it("backs off further on each quick crash and resets after a long run", () => {
    const { clock, children, lines } = harness();
    for (let i = 0; i < 4; i++) {
      children[i]!.exit(1);
      clock.advance(20_000);
    }
    expect(lines.map((l) => l.match(/in ([\d.]+) s/)![1])).toEqual(["0.5", "1.0", "2.0", "4.0"]);
    // The fifth child has been up 16 s: too short to forget the earlier crashes.
    children[4]!.exit(1);
    expect(lines.at(-1)).toContain("in 8.0 s");
    // The sixth runs 31 s before it crashes: back to the first delay.
    clock.advance(8000 + 31_000);
    children[5]!.exit(1);
    expect(lines.at(-1)).toContain("in 0.5 s");
  });

  it("counts a start that throws as a crash and keeps trying", () => {
    const { clock, children, lines } = harness({ failStart: (n) => n === 2 || n === 3 });
    children[0]!.exit(2);
    clock.advance(500); // start #2 throws
    expect(lines.at(-1)).toMatch(/^livekit failed to start \(spawn ENOENT\) after 0\.0 s; restarting it in 1\.0 s/);
    clock.advance(1000); // #3 throws
    clock.advance(2000); // #4 works
    expect(children).toHaveLength(2);
  });

  it("stops restarting once stopped, even with a restart pending", () => {
    const { sup, clock, children, lines } = harness();
    children[0]!.exit(1);
    expect(clock.pending()).toEqual([500]);
    expect(sup.stop()).toBe(children[0]);
    clock.advance(60_000);
    expect(children).toHaveLength(1);
    expect(lines).toHaveLength(1);
    // An exit after stop (Ctrl-C's SIGTERM) is not a crash.
    const { sup: s2, children: c2, lines: l2 } = harness();
    s2.stop();
    c2[0]!.exit(null, "SIGTERM");
    expect(l2).toEqual([]);
  });

  it("ignores a duplicate exit and an error after exit", () => {
    const { clock, children, lines } = harness();
    children[0]!.exit(1);
    children[0]!.emit("error", new Error("late"));
    children[0]!.exit(1);
    clock.advance(500);
    expect(lines).toHaveLength(1);
    expect(children).toHaveLength(2);
  });

  it("restarts a real process that crashes, with the real clock", async () => {
    const pids: number[] = [];
    const lines: string[] = [];
    const started: ChildProcess[] = [];
    const sup = supervise<ChildProcess>({
      name: "crasher",
      // Crashes at once twice, then stays up.
      start: () => {
        const c = spawn(process.execPath, ["-e", started.length < 2 ? "process.exit(3)" : "setInterval(() => {}, 1000)"]);
        started.push(c);
        return c;
      },
      onStart: (c) => pids.push(c.pid!),
      log: (l) => lines.push(l),
      backoff: { initialMs: 20, maxMs: 100, resetAfterMs: 10_000 },
    });
    const deadline = Date.now() + 10_000;
    while (started.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const last = sup.stop();
    last?.kill("SIGKILL");
    expect(started).toHaveLength(3);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^crasher exited with code 3 after [\d.]+ s; restarting it in 0\.0 s \(restart 1\)$/);
    expect(new Set(pids).size).toBe(3);
  });
});

describe("supervise, given a running child", () => {
  it("counts its run from its own start, not from when supervision began", () => {
    const clock = fakeClock();
    clock.advance(40_000);
    const lines: string[] = [];
    const first = Object.assign(new FakeChild(0), { startedAt: 5_000 });
    supervise<FakeChild>({
      name: "app",
      child: first,
      start: () => new FakeChild(1),
      log: (l) => lines.push(l),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer as (t: never) => void,
    });
    first.exit(null, "SIGKILL");
    expect(lines).toEqual(["app killed by SIGKILL after 35.0 s; restarting it in 0.5 s (restart 1)"]);
  });
});
