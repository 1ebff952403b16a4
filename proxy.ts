/**
 * `GET /debug` is JSON for scripts (curl, the tests) and a readable page for
 * browsers: a request whose Accept header asks for HTML is rewritten to /debug/view,
 * which checks the admin itself. No auth decision is made here.
 */
import { NextResponse, type NextRequest } from "next/server";

export function proxy(req: NextRequest) {
  const accept = req.headers.get("accept") ?? "";
  if (req.method === "GET" && /\btext\/html\b/.test(accept)) {
    // Rewrite the path of Next's own URL. `new URL("/debug/view", req.url)` would take
    // the origin from X-Forwarded-Proto/-Host, which a client chooses; an origin that
    // differs from the server's makes Next proxy the rewrite to it (a 500, or a
    // request to any host the client names).
    const url = req.nextUrl.clone();
    url.pathname = "/debug/view";
    url.search = "";
    return NextResponse.rewrite(url);
  }
  return NextResponse.next();
}

export const config = { matcher: ["/debug"] };
