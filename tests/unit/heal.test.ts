import { describe, expect, it } from "vitest";
import { DisconnectReason } from "livekit-client";
import { HEAL_RECONNECT_POLICY, isDeliberateDisconnect, rejoinDelayMs, sleep } from "@/lib/client/heal";

const next = (retryCount: number, elapsedMs: number) =>
  HEAL_RECONNECT_POLICY.nextRetryDelayInMs({ retryCount, elapsedMs, retryReason: undefined, serverUrl: undefined });

describe("healing a lost connection", () => {
  it("rejoins after anything but a deliberate end", () => {
    const deliberate = [
      DisconnectReason.CLIENT_INITIATED,
      DisconnectReason.DUPLICATE_IDENTITY,
      DisconnectReason.PARTICIPANT_REMOVED,
      DisconnectReason.ROOM_DELETED,
      DisconnectReason.ROOM_CLOSED,
    ];
    for (const r of deliberate) expect(isDeliberateDisconnect(r), DisconnectReason[r]).toBe(true);
    // A restarted or crashed LiveKit says one of these, or nothing at all.
    for (const r of [undefined, DisconnectReason.UNKNOWN_REASON, DisconnectReason.SERVER_SHUTDOWN, DisconnectReason.SIGNAL_CLOSE, DisconnectReason.JOIN_FAILURE, DisconnectReason.STATE_MISMATCH, DisconnectReason.MIGRATION]) {
      expect(isDeliberateDisconnect(r), String(r)).toBe(false);
    }
  });

  it("lets LiveKit's SDK retry at most 3 s apart for 20 s, then hands over to the page's rejoin", () => {
    const delays: number[] = [];
    let elapsed = 0;
    for (let i = 0; ; i++) {
      const d = next(i, elapsed);
      if (d === null) break;
      delays.push(d);
      elapsed += d + 200; // each attempt itself takes a moment
    }
    expect(delays.slice(0, 4)).toEqual([0, 300, 1000, 2000]);
    expect(Math.max(...delays)).toBe(3000);
    expect(elapsed).toBeGreaterThan(20_000);
    expect(elapsed).toBeLessThan(25_000);
  });

  it("rejoins at once, then backs off to every 5 s", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(rejoinDelayMs)).toEqual([0, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it("stops waiting when aborted", async () => {
    const abort = new AbortController();
    const t0 = Date.now();
    const waiting = sleep(10_000, abort.signal);
    abort.abort();
    await waiting;
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
