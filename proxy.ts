/**
 * `GET /debug` is JSON for scripts (curl, the tests) and a readable page for
 * browsers: a request whose Accept header asks for HTML is rewritten to /debug/view,
 * which checks the admin itself. No auth decision is made here.
 */
import { NextResponse, type NextRequest } from "next/server";

export function proxy(req: NextRequest) {
  const accept = req.headers.get("accept") ?? "";
  if (req.method === "GET" && /\btext\/html\b/.test(accept)) {
    return NextResponse.rewrite(new URL("/debug/view", req.url));
  }
  return NextResponse.next();
}

export const config = { matcher: ["/debug"] };
