/**
 * What the benchmarks read from Linux's /proc, and their percentiles. Shared by
 * bench:switch and bench:scale.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The p-th percentile (nearest rank); NaN for no samples. */
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** CPU seconds and RSS of every process in a process group (Linux /proc). */
export function groupUsage(pgid: number): { cpuS: number; rssMb: number; procs: number } {
  const tick = 100; // USER_HZ on Linux
  let cpu = 0;
  let rss = 0;
  let procs = 0;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue; // field 5: pgrp
      cpu += (Number(fields[11]) + Number(fields[12])) / tick; // utime + stime
      rss += (Number(fields[21]) * 4096) / 1048576; // rss pages
      procs++;
    } catch {
      // exited meanwhile
    }
  }
  return { cpuS: cpu, rssMb: rss, procs };
}


/**
 * CPU seconds per thread name of one process (Linux /proc/<pid>/task). Threads that
 * share a name (a pool) are summed: e.g. Node's main thread ("node" or "MainThread"),
 * libuv's pool, V8's workers, and a native library's own threads.
 */
export function threadUsage(pid: number): Map<string, number> {
  const tick = 100;
  const out = new Map<string, number>();
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/[-_ ]?\d+$/, "");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cpu = (Number(fields[11]) + Number(fields[12])) / tick;
      out.set(tid === String(pid) ? "main (JS)" : name, (out.get(tid === String(pid) ? "main (JS)" : name) ?? 0) + cpu);
    } catch {
      // exited meanwhile
    }
  }
  return out;
}
