import "server-only";

import { execFile } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** A finished (or growing) file Egress wrote under recordings/. */
export interface Recording {
  name: string;
  bytes: number;
  modifiedAt: number;
  /** From ffprobe; null while unreadable (still being written) or without ffprobe. */
  durationMs: number | null;
}

export interface RecordingsResponse {
  recordings: Recording[];
}

const MEDIA = /\.(mp4|ogg|webm|mkv)$/i;
const durations = new Map<string, number | null>();

/** Where `npm start -- --record` points Egress's file outputs: recordings/ in the app's folder. */
export function recordingsDir(): string {
  return join(/* turbopackIgnore: true */ process.cwd(), "recordings");
}

function probeDuration(path: string): Promise<number | null> {
  return new Promise((resolve) => {
    execFile(
      "ffprobe",
      ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", path],
      { timeout: 10_000 },
      (err, stdout) => {
        const s = Number.parseFloat(String(stdout).trim());
        resolve(err || !Number.isFinite(s) ? null : Math.round(s * 1000));
      },
    );
  });
}

/** The recordings, newest first, with durations (cached per file version). */
export async function listRecordings(dir = recordingsDir()): Promise<Recording[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => MEDIA.test(n));
  } catch {
    return [];
  }
  const out: Recording[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) continue;
    const key = `${name}:${st.size}:${st.mtimeMs}`;
    if (!durations.has(key)) durations.set(key, await probeDuration(path));
    out.push({ name, bytes: st.size, modifiedAt: Math.round(st.mtimeMs), durationMs: durations.get(key) ?? null });
  }
  return out.sort((a, b) => b.modifiedAt - a.modifiedAt);
}
