import { afterEach, describe, expect, it } from "vitest";
import { AudioSource, LocalAudioTrack, Room, TrackPublishOptions, TrackSource } from "@livekit/rtc-node";
import type { TokenResponse } from "@/lib/schemas";
import { Bot } from "../helpers/bot";
import { stackEnv, until } from "../helpers/stack-env";

const { appUrl, livekitUrl } = stackEnv();

async function token(body: Record<string, unknown>): Promise<TokenResponse> {
  const res = await fetch(`${appUrl}/api/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as TokenResponse;
}

interface StatusBody {
  ok: boolean;
  livekit: { url: string; reachable: boolean };
  channels: { channel: number; room: string; participants: { identity: string; name: string; microphone: boolean; muted: boolean }[] }[];
  totals: { participants: number; channels: number };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn().catch(() => undefined);
});

describe("tokens against the real livekit-server", () => {
  it("a minted participant token connects and publishes audio, and /status lists it", async () => {
    const t = await token({ name: "Integration Ann", channel: 11 });
    const bot = new Bot(t.identity);
    cleanup.push(() => bot.leave());
    // The app's serverUrl is for browsers; on this machine it points at the same server.
    expect(t.serverUrl).toContain(new URL(livekitUrl).port);
    await bot.join(livekitUrl, t.token);
    expect(bot.room.isConnected).toBe(true);
    expect([...bot.room.localParticipant!.trackPublications.values()].map((p) => p.source)).toContain(
      TrackSource.SOURCE_MICROPHONE,
    );

    const status = await until(async () => {
      const s = (await (await fetch(`${appUrl}/status`)).json()) as StatusBody;
      const ch = s.channels.find((c) => c.channel === 11);
      const me = ch?.participants.find((p) => p.identity === t.identity);
      return me?.microphone ? s : null;
    }, "/status to list the bot with its microphone");
    expect(status.ok).toBe(true);
    expect(status.livekit.reachable).toBe(true);
    const ch = status.channels.find((c) => c.channel === 11)!;
    expect(ch.room).toBe("channel-11");
    const me = ch.participants.find((p) => p.identity === t.identity)!;
    expect(me).toMatchObject({ name: "Integration Ann", microphone: true, muted: false });
    // The director (hidden) and viewers are not listed as participants.
    expect(ch.participants.every((p) => p.identity.startsWith("p_"))).toBe(true);
    expect(status.totals.participants).toBeGreaterThanOrEqual(1);
  });

  /** Connects with `t` and expects the server to refuse an audio track published as `source`; returns the room. */
  async function expectPublishRefused(t: TokenResponse, trackName: string, source: TrackSource, autoSubscribe: boolean): Promise<Room> {
    const room = new Room();
    cleanup.push(() => room.disconnect());
    await room.connect(livekitUrl, t.token, { autoSubscribe, dynacast: false });
    const audio = new AudioSource(48000, 1);
    const track = LocalAudioTrack.createAudioTrack(trackName, audio);
    const opts = new TrackPublishOptions();
    opts.source = source;
    await expect(room.localParticipant!.publishTrack(track, opts)).rejects.toThrow();
    await audio.close();
    return room;
  }

  it("a viewer token's attempt to publish is refused by the server", async () => {
    const t = await token({ name: "Projector", channel: 12, role: "viewer" });
    const room = await expectPublishRefused(t, "mic", TrackSource.SOURCE_MICROPHONE, true);
    expect(room.localParticipant!.trackPublications.size).toBe(0);
  });

  it("a participant token may not publish a screen share", async () => {
    const t = await token({ name: "Screen Sam", channel: 12 });
    await expectPublishRefused(t, "screen-audio", TrackSource.SOURCE_SCREENSHARE_AUDIO, false);
  });
});
