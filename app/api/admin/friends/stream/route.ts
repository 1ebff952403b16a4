import type { NextRequest } from "next/server";
import { requireAdmin } from "@/lib/admin/auth";
import { handle, methodNotAllowed } from "@/lib/api-error";
import { friendsPoller } from "@/lib/friends/poller";

export const dynamic = "force-dynamic";

/** Keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * /friends' live feed as server-sent events: a `snapshot`, then a `patch` with only
 * what changed, at most every 250 ms. Read-only, so GET; EventSource sends the
 * session cookie (SameSite=Strict holds for our own page).
 */
export const GET = handle(async (req: NextRequest) => {
  requireAdmin(req);
  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | null = null;
  let keepalive: NodeJS.Timeout | null = null;
  const close = () => {
    unsubscribe?.();
    unsubscribe = null;
    if (keepalive) clearInterval(keepalive);
    keepalive = null;
  };
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      send("retry: 1000\n\n");
      keepalive = setInterval(() => send(": keepalive\n\n"), KEEPALIVE_MS);
      req.signal.addEventListener("abort", () => {
        close();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      unsubscribe = await friendsPoller().subscribe((ev, encoded) => send(`event: ${ev.type}\ndata: ${encoded}\n\n`));
      if (req.signal.aborted) close();
    },
    cancel: close,
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
