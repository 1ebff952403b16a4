/** The dashboard's calls to the admin API. Each checks `ok` and surfaces the server's message. */
export type AdminAction = "pin" | "unpin" | "mute" | "remove";

export async function runAction(action: AdminAction, channel: number, identity: string): Promise<void> {
  const path = action === "unpin" ? "pin" : action;
  const res = await fetch(`/api/admin/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ channel, identity: action === "unpin" ? null : identity }),
    cache: "no-store",
  });
  if (res.status === 401) throw new Error("signed out: sign in again");
  if (!res.ok) {
    let message = `${res.status}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body.error) message = body.error;
    } catch {
      // not JSON
    }
    throw new Error(message);
  }
}
