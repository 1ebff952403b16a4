/** The dashboard's calls to the admin API. Each checks `ok` and surfaces the server's message. */
import type { DirectorRole } from "@/lib/room-state";
import type { MixerCommand } from "@/lib/friends/shortcuts";

export type AdminAction = "pin" | "unpin" | "mute" | "remove";

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(`/api/admin/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    cache: "no-store",
  });
  if (res.status === 401) throw new Error("signed out: sign in again");
  if (!res.ok) {
    let message = `${res.status}`;
    try {
      const body = (await res.json()) as { error?: string; details?: Record<string, string> };
      if (body.error) message = body.details ? `${body.error}: ${Object.values(body.details).join("; ")}` : body.error;
    } catch {
      // not JSON
    }
    throw new Error(message);
  }
}

export async function runAction(action: AdminAction, channel: number, identity: string): Promise<void> {
  const path = action === "unpin" ? "pin" : action;
  await post(path, { channel, identity: action === "unpin" ? null : identity });
}

/** Cut once to a participant, or to the wide shot (identity null). */
export function takeShot(channel: number, identity: string | null): Promise<void> {
  return post("take", identity ? { channel, identity } : { channel, shot: "wide" });
}

export function setDirectorRole(channel: number, identity: string, role: DirectorRole): Promise<void> {
  return post("director-role", { channel, identity, role });
}

/** ms null: back to the director's default. */
export function setShotLength(channel: number, ms: number | null): Promise<void> {
  return post("shot-length", { channel, ms });
}

/** A keyboard shortcut's call (lib/friends/shortcuts.ts). */
export function runCommand(channel: number, cmd: MixerCommand): Promise<void> {
  switch (cmd.kind) {
    case "take":
      return takeShot(channel, cmd.identity);
    case "wide":
      return takeShot(channel, null);
    case "pin":
      return post("pin", { channel, identity: cmd.identity });
    case "unpin":
      return post("pin", { channel, identity: null });
  }
}
