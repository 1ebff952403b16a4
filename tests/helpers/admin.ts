/** Admin calls for the tests: sign in, the admin APIs with a session or Bearer, the live feed. */
import { adminPassword } from "./secrets";

export async function signIn(appUrl: string, password = adminPassword(), client = "192.0.2.1"): Promise<string> {
  const res = await fetch(`${appUrl}/api/admin/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl, "x-forwarded-for": client },
    body: JSON.stringify({ password }),
  });
  if (!res.ok) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("cc_admin="));
  if (!cookie) throw new Error("sign-in set no cc_admin cookie");
  return cookie.split(";")[0]!;
}

export function bearer(): Record<string, string> {
  return { authorization: `Bearer ${adminPassword()}` };
}

/** POST an admin action with the Bearer header (a script); throws unless it answers 2xx. */
export async function adminPost(appUrl: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${appUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer() },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export interface FriendsJson {
  channels: Record<string, { program: { identity: string | null; pinned: string | null } | null; participants: { identity: string; name: string; mic: string }[] }>;
  levels: Record<string, Record<string, [number, number]>>;
  activity: Record<string, { at: number; kind: string; identity: string | null; name: string | null; detail: string | null }[]>;
}

export async function friends(appUrl: string): Promise<FriendsJson> {
  const res = await fetch(`${appUrl}/api/admin/friends`, { headers: bearer() });
  if (!res.ok) throw new Error(`/api/admin/friends answered ${res.status}`);
  return (await res.json()) as FriendsJson;
}

/** Read server-sent events from the admin stream until `stop` returns true or the time runs out. */
export async function readStream(
  appUrl: string,
  cookie: string,
  stop: (ev: { type: string; data: string; at: number }) => boolean,
  timeoutMs = 10_000,
): Promise<{ type: string; data: string; at: number }[]> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const events: { type: string; data: string; at: number }[] = [];
  try {
    const res = await fetch(`${appUrl}/api/admin/friends/stream`, { headers: { cookie }, signal: ctl.signal });
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let idx;
      while ((idx = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, idx);
        buf = buf.slice(idx + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!type || data === undefined) continue;
        const ev = { type, data, at: Date.now() };
        events.push(ev);
        if (stop(ev)) {
          ctl.abort();
          return events;
        }
      }
    }
  } catch (err) {
    if (!ctl.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  return events;
}
