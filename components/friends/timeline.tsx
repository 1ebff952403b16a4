"use client";

/**
 * One channel's last 2 minutes on a canvas: who was on program as coloured bands,
 * each participant's level as a sparkline, and pins and admin actions as marks.
 * A canvas, not DOM, so drawing never touches layout. It redraws once a second (at
 * 2 minutes across a card, a second is a few pixels) or when the program, the
 * participants or the marks change, and not at all while scrolled out of view.
 */
import { memo, useLayoutEffect, useRef, useState } from "react";
import type { Activity } from "@/lib/room-state";
import { SAMPLE_MS, TIMELINE_MS, type FriendsDecision, type FriendsParticipant } from "@/lib/friends/model";
import { colorOf, meterFraction } from "./colors";

const BAND_H = 10;
const HEIGHT = 64;

const MARK_COLORS: Partial<Record<Activity["kind"], string>> = {
  pin: "#fbbf24",
  unpin: "#fbbf24",
  mute: "#38bdf8",
  remove: "#fb7185",
  take: "#34d399",
  wide: "#34d399",
};

export const Timeline = memo(TimelineCanvas, (a, b) => {
  return (
    a.participants === b.participants &&
    a.decisions === b.decisions &&
    a.activity === b.activity &&
    Math.floor(a.now / REDRAW_MS) === Math.floor(b.now / REDRAW_MS) &&
    (a.samples !== undefined) === (b.samples !== undefined)
  );
});

const REDRAW_MS = 1000;

interface TimelineProps {
  participants: FriendsParticipant[];
  samples: Record<string, number[]> | undefined;
  decisions: FriendsDecision[] | undefined;
  activity: Activity[] | undefined;
  now: number;
}

function TimelineCanvas({
  participants,
  samples,
  decisions,
  activity,
  now,
}: TimelineProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [visible, setVisible] = useState(true);

  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => setWidth(Math.round(entries[0]?.contentRect.width ?? 0)));
    ro.observe(el);
    const io = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)));
    io.observe(el);
    return () => {
      ro.disconnect();
      io.disconnect();
    };
  }, []);

  useLayoutEffect(() => {
    const el = canvas.current;
    if (!el || width === 0 || now === 0 || !visible) return;
    const dpr = window.devicePixelRatio || 1;
    if (el.width !== width * dpr) el.width = width * dpr;
    if (el.height !== HEIGHT * dpr) el.height = HEIGHT * dpr;
    const ctx = el.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const start = now - TIMELINE_MS;
    const x = (t: number) => ((t - start) / TIMELINE_MS) * width;

    // Grid: every 30 s.
    ctx.fillStyle = "rgba(255,255,255,0.06)";
    for (let t = 30_000; t < TIMELINE_MS; t += 30_000) ctx.fillRect(Math.round(x(start + t)), 0, 1, HEIGHT);

    // Program bands.
    const list = decisions ?? [];
    for (let i = 0; i < list.length; i++) {
      const d = list[i]!;
      const from = Math.max(d.at, start);
      const to = list[i + 1]?.at ?? now;
      if (to <= start || !d.program) continue;
      ctx.fillStyle = colorOf(d.program, 0.9);
      ctx.fillRect(x(from), 0, Math.max(1, x(to) - x(from)), BAND_H);
    }

    // Sparklines: louder is higher.
    const plotTop = BAND_H + 4;
    const plotH = HEIGHT - plotTop - 2;
    for (const p of participants) {
      const s = samples?.[p.identity];
      if (!s || s.length < 2) continue;
      ctx.strokeStyle = colorOf(p.identity, 0.95);
      ctx.lineWidth = 1.25;
      ctx.beginPath();
      for (let i = 0; i < s.length; i++) {
        const t = now - (s.length - 1 - i) * SAMPLE_MS;
        const y = plotTop + plotH * (1 - meterFraction(s[i]!));
        if (i === 0) ctx.moveTo(x(t), y);
        else ctx.lineTo(x(t), y);
      }
      ctx.stroke();
    }

    // Pins and admin actions.
    for (const a of activity ?? []) {
      const color = MARK_COLORS[a.kind];
      if (!color || a.at < start) continue;
      const ax = Math.round(x(a.at));
      ctx.fillStyle = color;
      ctx.fillRect(ax, 0, 1.5, HEIGHT);
      ctx.beginPath();
      ctx.moveTo(ax - 4, HEIGHT);
      ctx.lineTo(ax + 4, HEIGHT);
      ctx.lineTo(ax, HEIGHT - 6);
      ctx.fill();
    }
  }, [participants, samples, decisions, activity, now, width, visible]);

  return (
    <div className="relative">
      <canvas
        ref={canvas}
        data-testid="friends-timeline"
        role="img"
        aria-label="Program and levels over the last 2 minutes"
        className="block h-16 w-full rounded-md bg-black/40"
      />
      <div className="pointer-events-none mt-0.5 flex justify-between text-[10px] leading-none text-neutral-400 tabular-nums">
        <span>−2:00</span>
        <span>−1:30</span>
        <span>−1:00</span>
        <span>−0:30</span>
        <span>now</span>
      </div>
    </div>
  );
}
