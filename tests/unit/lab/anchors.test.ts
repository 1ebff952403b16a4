import { describe, expect, it } from "vitest";
import { JanusPolicy } from "@/lab/policies/janus";
import { DsiSpeaker, JitsiDsiPolicy, binomialCoefficient, speechActivityScore, DSI } from "@/lab/policies/jitsi-dsi";
import { LiveKitAudioLevel, LIVEKIT_DEFAULTS, LiveKitPolicy, convertAudioLevel } from "@/lab/policies/livekit";
import { MediasoupAloPolicy } from "@/lab/policies/mediasoup-alo";
import { OraclePolicy } from "@/lab/policies/oracle";
import { WebrtcCsmPolicy, barLevel } from "@/lab/policies/webrtc-csm";
import { SILENT, SPEECH, run, trace } from "./helpers";

describe("jitsi-dsi", () => {
  it("uses the source's integer binomial and clamps scores at the minimum", () => {
    expect(binomialCoefficient(13, 10)).toBe(286);
    expect(binomialCoefficient(5, 5)).toBe(1);
    expect(speechActivityScore(0, DSI.N1, 0.78)).toBe(DSI.MIN_SPEECH_ACTIVITY_SCORE);
    expect(speechActivityScore(5, DSI.N2, 24)).toBeCloseTo(Math.log(1) + 5 * Math.log(0.5) - Math.log(24) + 120, 9);
  });

  it("counts a medium block as active only when all its frames clear the speaker's floor", () => {
    const s = new DsiSpeaker("a", 0);
    for (let i = 0; i < 50; i++) s.levelChanged(127 - SILENT, i * 20); // learn the floor
    for (let i = 0; i < 5; i++) s.levelChanged(127 - SPEECH, 1000 + i * 20);
    s.evaluate();
    expect(s.mediums[0]).toBe(5);
    expect(s.mediums[1]).toBe(0);
  });

  it("does not hand over while the holder keeps talking, only once the holder pauses >= 100 ms", () => {
    // Both are silent for 0.5 s (DSI learns each speaker's floor as its quietest level, so
    // a talker heard only while talking would look silent); a talks from 0.5 s, b joins in
    // at 3 s and talks on; a stops at 6 s.
    const obs = trace(["a", "b"], 9000, (id, t) => {
      if (id === "a") return t >= 500 && t < 6000 ? SPEECH : SILENT;
      return t >= 3000 ? SPEECH : SILENT;
    });
    const ds = run(new JitsiDsiPolicy(0), obs);
    const toB = ds.find((d) => d.program === "b");
    expect(ds[0]?.program).toBe("a");
    expect(toB).toBeDefined();
    expect(toB?.t).toBeGreaterThanOrEqual(6100);
    expect(toB?.t).toBeLessThanOrEqual(6000 + 100 + DSI.DECISION_INTERVAL_MS);
  });

  it("a 60 ms dip in the holder's speech does not hand over; a 400 ms pause does", () => {
    const dip = (len: number) =>
      trace(["a", "b"], 6000, (id, t) => {
        if (id === "a") return t < 500 || (t >= 3000 && t < 3000 + len) ? SILENT : SPEECH;
        return t >= 1000 ? SPEECH : SILENT;
      });
    expect(run(new JitsiDsiPolicy(0), dip(60)).some((d) => d.program === "b")).toBe(false);
    // Every phase sees the 400 ms pause at a tick with 100 ms of silence behind it.
    for (const phase of [0, 100, 200]) {
      expect(run(new JitsiDsiPolicy(phase), dip(400)).some((d) => d.program === "b")).toBe(true);
    }
  });

  it("decides only on its 300 ms tick", () => {
    const obs = trace(["a", "b"], 3000, (id, t) => (id === "b" && t >= 1000 ? SPEECH : SILENT));
    for (const phase of [0, 50, 170]) {
      const toB = run(new JitsiDsiPolicy(phase), obs).find((d) => d.program === "b");
      expect(toB).toBeDefined();
      expect(((toB?.t ?? 0) - phase) % DSI.DECISION_INTERVAL_MS).toBe(0);
    }
  });
});

describe("livekit", () => {
  it("is active only when >= 40 % of a 400 ms window is at or above -35 dBov", () => {
    const check = (activeFrames: number): boolean => {
      const al = new LiveKitAudioLevel(LIVEKIT_DEFAULTS);
      for (let i = 0; i < 20; i++) al.observe(i < activeFrames ? 20 : 60, 20, i * 20);
      return al.level(400).active;
    };
    expect(check(8)).toBe(true); // 160 ms = 40 %
    expect(check(7)).toBe(false); // 140 ms: the window's level is reset to 0
  });

  it("keeps a brief burst under the threshold: 160 ms at -30 dBov is penalised to about -38", () => {
    const al = new LiveKitAudioLevel(LIVEKIT_DEFAULTS);
    for (let i = 0; i < 20; i++) al.observe(i < 8 ? 30 : 60, 20, i * 20);
    expect(al.level(400).active).toBe(false);
  });

  it("penalises the loudest level by the active share and smooths with factor 2/3", () => {
    const al = new LiveKitAudioLevel(LIVEKIT_DEFAULTS);
    for (let i = 0; i < 20; i++) al.observe(i < 10 ? 20 : 60, 20, i * 20);
    // 50 % active: loudest 20 dBov minus 20·log10(0.5) = 26.02 dBov, times 2/3 from zero.
    expect(al.level(400).level).toBeCloseTo((convertAudioLevel(20 - 20 * Math.log10(0.5)) * 2) / 3, 9);
  });

  it("resets a participant with no packets for two intervals", () => {
    const al = new LiveKitAudioLevel(LIVEKIT_DEFAULTS);
    for (let i = 0; i < 20; i++) al.observe(20, 20, i * 20);
    expect(al.level(400).active).toBe(true);
    expect(al.level(380 + 800).active).toBe(false);
  });

  it("puts the loudest active speaker on program, polled every 400 ms, and holds in silence", () => {
    const obs = trace(["a", "b"], 4000, (id, t) => {
      if (id === "a") return t < 1000 ? 25 : SILENT;
      return t >= 2000 && t < 3000 ? 15 : SILENT;
    });
    const ds = run(new LiveKitPolicy(0), obs);
    expect(ds.map((d) => d.program)).toEqual(["a", "b"]);
    expect(ds.every((d) => d.t % 400 === 0)).toBe(true);
  });
});

describe("mediasoup-alo", () => {
  it("averages dBov per 800 ms, needs 10 packets, drops averages below -80 and reports the loudest", () => {
    const obs = trace(["a", "b", "c"], 1600, (id, t) => {
      if (id === "a") return 40;
      if (id === "b") return t < 800 ? 30 : 85; // louder first, then under the threshold
      return t < 180 ? 10 : null; // 9 packets only: ignored
    });
    const ds = run(new MediasoupAloPolicy(0), obs);
    expect(ds.map((d) => [d.t, d.program])).toEqual([
      [800, "b"],
      [1600, "a"],
    ]);
  });

  it("keeps the program through silence", () => {
    const obs = trace(["a"], 2400, (_id, t) => (t < 800 ? 30 : 100));
    const ds = run(new MediasoupAloPolicy(0), obs);
    expect(ds.map((d) => d.program)).toEqual(["a"]);
  });
});

describe("janus", () => {
  it("decides talking per block of 100 packets by the average level < 25", () => {
    const loud = run(new JanusPolicy(), trace(["a"], 4000, () => 24));
    expect(loud.map((d) => [d.t, d.program])).toEqual([[2000, "a"]]);
    const quiet = run(new JanusPolicy(), trace(["a"], 4000, () => 25));
    expect(quiet).toEqual([]);
  });

  it("cuts to whoever starts talking, and back to a still-talking one when the program stops", () => {
    const obs = trace(["a", "b"], 8000, (id, t) => {
      if (id === "a") return 20;
      return t >= 2000 && t < 4000 ? 20 : SILENT;
    });
    const ds = run(new JanusPolicy(), obs);
    expect(ds.map((d) => d.program)).toEqual(["a", "b", "a"]);
  });
});

describe("webrtc-csm", () => {
  it("maps peaks to the 0..9 bar like audio_level.cc", () => {
    expect(barLevel(250)).toBe(0);
    expect(barLevel(251)).toBe(1);
    expect(barLevel(4999)).toBe(4);
    expect(barLevel(32767)).toBe(9);
  });

  it("needs two loud polls before someone counts as speaking", () => {
    const obs = trace(["a"], 1000, (_id, t) => (t >= 300 ? SPEECH : SILENT));
    const ds = run(new WebrtcCsmPolicy(0), obs);
    // Polls at 400 (might be), 500 (speaking).
    expect(ds[0]?.t).toBe(500);
  });

  it("never switches within 1 s of the previous switch", () => {
    const obs = trace(["a", "b"], 4000, (id, t) => {
      if (id === "a") return t < 600 ? SPEECH : SILENT;
      return t >= 700 ? SPEECH : SILENT;
    });
    const ds = run(new WebrtcCsmPolicy(0), obs);
    expect(ds.map((d) => d.program)).toEqual(["a", "b"]);
    const [first, second] = ds;
    expect((second?.t ?? 0) - (first?.t ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("counts the current speaker's inter-word pauses (two polls) at the top level", () => {
    // a talks with a 200 ms gap while b is quieter but continuous: a keeps the program.
    const obs = trace(["a", "b"], 4000, (id, t) => {
      if (id === "a") return t >= 2000 && t < 2200 ? SILENT : 10;
      return t >= 1500 ? 40 : SILENT;
    });
    const ds = run(new WebrtcCsmPolicy(0), obs);
    expect(ds.map((d) => d.program)).toEqual(["a"]);
  });
});

describe("oracle", () => {
  it("cuts to each floor holder D ms after onset", () => {
    const floor = [
      { from: 0, to: 1000, who: null },
      { from: 1000, to: 3000, who: "a" },
      { from: 3000, to: 5000, who: "b" },
    ];
    const ds = run(new OraclePolicy(floor, 300), trace(["a", "b"], 5000, () => SILENT));
    expect(ds.map((d) => [d.t, d.program])).toEqual([
      [1300, "a"],
      [3300, "b"],
    ]);
  });
});
