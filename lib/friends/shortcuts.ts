/**
 * /friends' vision-mixer keys, as a pure mapping from a key press on the selected
 * channel to the admin call it makes: 1–9 take the n-th participant (in the card's
 * order), P pins the preview candidate (or, with none, whoever is on program), W goes
 * wide, A hands the channel back to the director (unpins).
 */
import type { FriendsChannel, FriendsPreview } from "./model";

export type MixerCommand =
  | { kind: "take"; identity: string; name: string }
  | { kind: "wide" }
  | { kind: "pin"; identity: string; name: string }
  | { kind: "unpin" };

export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: "1–9", does: "take the n-th participant" },
  { keys: "P", does: "pin the preview (or who is on air)" },
  { keys: "W", does: "wide shot" },
  { keys: "A", does: "back to auto (unpin)" },
];

/** The command a key means for a channel; null when it means nothing there. */
export function commandForKey(key: string, ch: FriendsChannel, preview: FriendsPreview | undefined): MixerCommand | null {
  const nameOf = (identity: string) => ch.participants.find((p) => p.identity === identity)?.name ?? identity;
  if (/^[1-9]$/.test(key)) {
    const p = ch.participants[Number(key) - 1];
    return p ? { kind: "take", identity: p.identity, name: p.name } : null;
  }
  switch (key.toLowerCase()) {
    case "w":
      return { kind: "wide" };
    case "a":
      return { kind: "unpin" };
    case "p": {
      const present = (id: string | null | undefined): id is string => !!id && ch.participants.some((p) => p.identity === id);
      const target = present(preview?.identity) ? preview.identity : ch.program?.shot !== "wide" && present(ch.program?.identity) ? ch.program.identity : null;
      return target ? { kind: "pin", identity: target, name: nameOf(target) } : null;
    }
    default:
      return null;
  }
}

/** Whether a key press belongs to a text field (or a select's type-ahead), not to the mixer. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== "string") return false;
  const el = target as HTMLElement;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable === true;
}
