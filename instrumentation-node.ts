/**
 * The Node.js half of instrumentation.ts: check the app's settings, or stop; then
 * stamp every incoming request with the socket's own address.
 */
import { randomBytes } from "node:crypto";
import { Server, type IncomingMessage } from "node:http";
import { appEnvProblem, env, EnvError } from "@/lib/env";
import { PEER_HEADER, PEER_NONCE_SYMBOL } from "@/lib/net/client-address";

let problem: string | null;
try {
  problem = appEnvProblem(env());
} catch (err) {
  problem = err instanceof EnvError ? err.message : String(err);
}
if (problem) {
  console.error(`Conference Camera cannot start:\n  ${problem}`);
  process.exit(1);
}

/**
 * Route handlers never see the socket, and `next start` fills X-Forwarded-For from it
 * only when the client sent none, so a client could name any address it likes. Before
 * Next handles a request, record the socket's address in a header of our own, with a
 * nonce of this process (a client cannot guess it, so a forged header is ignored).
 * lib/net/client-address.ts reads it. On Vercel, whose edge overwrites
 * X-Forwarded-For with the client's address (and where the socket is Vercel's own
 * proxy), nothing is stamped and that header is used instead.
 */
const globals = globalThis as Record<symbol, unknown>;
if (!env().VERCEL && typeof globals[PEER_NONCE_SYMBOL] !== "string") {
  const nonce = randomBytes(18).toString("base64url");
  globals[PEER_NONCE_SYMBOL] = nonce;
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      const sent = req.headers["x-forwarded-for"] !== undefined ? "1" : "0";
      req.headers[PEER_HEADER] = `${nonce} ${req.socket?.remoteAddress ?? "unknown"} ${sent}`;
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof Server.prototype.emit;
}
