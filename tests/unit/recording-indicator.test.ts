import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RecordingIndicator } from "@/components/egress/recording-indicator";
import type { ActiveEgress } from "@/lib/egress/schema";

const egress = (over: Partial<ActiveEgress> = {}): ActiveEgress => ({
  egressId: "EG_test1234",
  channel: 3,
  room: "channel-3",
  state: "active",
  startedAt: 1_764_000_000_000,
  layout: "program",
  output: { type: "file", location: "recordings/channel-3.mp4" },
  ...over,
});

const render = (props: Parameters<typeof RecordingIndicator>[0]) => renderToStaticMarkup(createElement(RecordingIndicator, props));
const noop = () => undefined;

describe("RecordingIndicator", () => {
  it("idle: says so, offers Record, and disables it when Egress isn't deployed", () => {
    const html = render({ channel: 3, egress: null, onStart: noop });
    expect(html).toContain('data-state="idle"');
    expect(html).toContain("Not recording");
    const startButton = (h: string) => /<button[^>]*data-testid="recording-start"[^>]*>/.exec(h)?.[0] ?? "";
    expect(startButton(html)).not.toBe("");
    expect(startButton(html)).not.toContain(' disabled=""');
    const off = render({ channel: 3, egress: null, onStart: noop, unavailable: true });
    expect(startButton(off)).toContain(' disabled=""');
    expect(off).toContain("No Egress service is deployed");
  });

  it("active: a REC light for files, LIVE for RTMP, HLS for HLS, and Stop", () => {
    expect(render({ channel: 3, egress: egress(), onStop: noop })).toMatch(/REC[\s\S]*recording-stop/);
    expect(render({ channel: 3, egress: egress({ output: { type: "rtmp", location: "rtmp://x/…" } }) })).toContain("LIVE");
    expect(render({ channel: 3, egress: egress({ output: { type: "hls", location: "playlist.m3u8" } }) })).toContain("HLS");
    expect(render({ channel: 3, egress: egress() })).not.toContain("recording-stop");
  });

  it("starting and ending are shown as such", () => {
    expect(render({ channel: 3, egress: egress({ state: "starting", startedAt: null }) })).toContain("Starting…");
    expect(render({ channel: 3, egress: egress({ state: "ending" }) })).toContain("Stopping…");
  });
});
