/**
 * Who a request comes from, for rate limits: an address a client cannot choose.
 *
 * `next start` copies the socket's address into X-Forwarded-For only when the request
 * has none, so a client that sends its own header would otherwise name itself. The
 * app therefore learns the real peer from a header it stamps itself before Next sees
 * the request (instrumentation-node.ts, with a per-process nonce a client cannot
 * guess), and believes an X-Forwarded-For hop only when the hop to its right is a
 * proxy it trusts: the embedded HTTPS entry point (which proves itself with a header
 * keyed by the API secret) or an address in TRUSTED_PROXIES.
 *
 * Where the peer stamp is absent (a platform such as Vercel, whose edge writes
 * X-Forwarded-For itself), the last hop is the platform's view of the client.
 * Pure: the caller passes the nonce, the proof and the trusted list.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";

/** Stamped by instrumentation-node.ts: `<nonce> <socket address> <1 if the client sent X-Forwarded-For, else 0>`. */
export const PEER_HEADER = "x-cc-peer";
/** Sent by the embedded HTTPS entry point (scripts/lib/https-entry.mjs) on every proxied request. */
export const ENTRY_PROOF_HEADER = "x-cc-entry";
export const PEER_NONCE_SYMBOL = Symbol.for("cc.peerNonce");

/** What the HTTPS entry point sends to prove it is ours. Same derivation as entryProof() in https-entry.mjs. */
export function entryProof(apiSecret: string): string {
  return createHmac("sha256", apiSecret).update("cc-https-entry-v1").digest("base64url");
}

export function peerNonce(): string | undefined {
  const v = (globalThis as Record<symbol, unknown>)[PEER_NONCE_SYMBOL];
  return typeof v === "string" ? v : undefined;
}

/** Canonical form of one address (no IPv4-mapped prefix, no brackets), or null when it is not an IP. */
export function normalizeAddress(raw: string): string | null {
  let a = raw.trim();
  if (a.startsWith("[") && a.includes("]")) a = a.slice(1, a.indexOf("]"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a)) a = a.slice(7);
  // "1.2.3.4:5678" (some proxies add the port)
  if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.indexOf(":"));
  return isIP(a) ? a.toLowerCase() : null;
}

export function trustedList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr, bits] = c.split("/") as [string, string];
    list.addSubnet(addr, Number(bits), isIP(addr) === 6 ? "ipv6" : "ipv4");
  }
  return list;
}

function isTrusted(list: BlockList, addr: string): boolean {
  try {
    return list.check(addr, isIP(addr) === 6 ? "ipv6" : "ipv4");
  } catch {
    return false;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface AddressContext {
  trusted: BlockList;
  /** entryProof(secret) */
  proof: string;
  /** the nonce instrumentation-node.ts stamps with; undefined where it does not run */
  nonce: string | undefined;
}

/**
 * The client's address: walk the forwarding chain from the socket leftwards while the
 * hop is a trusted proxy. "unknown" when nothing usable is there.
 */
export function clientAddress(headers: Headers, ctx: AddressContext): string {
  const xff = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let peer: string | null = null;
  let clientSentXff = true;
  const stamp = headers.get(PEER_HEADER);
  if (ctx.nonce && stamp) {
    const [nonce, addr, sent] = stamp.split(" ");
    if (nonce && addr && sameText(nonce, ctx.nonce)) {
      peer = normalizeAddress(addr);
      clientSentXff = sent === "1";
    }
  }
  const given = headers.get(ENTRY_PROOF_HEADER);
  const viaEntry = given !== null && sameText(given, ctx.proof);

  // From the client (left) to us (right).
  const chain: string[] = peer ? [...(clientSentXff ? xff : []), peer] : xff;
  if (chain.length === 0) return "unknown";
  let i = chain.length - 1;
  for (; i > 0; i--) {
    const hop = normalizeAddress(chain[i]!);
    const trustedHop = hop !== null && ((viaEntry && peer !== null && i === chain.length - 1) || isTrusted(ctx.trusted, hop));
    if (!trustedHop) break;
  }
  const addr = normalizeAddress(chain[i]!);
  // A proxy may put anything in the header; a non-address counts as one shared client.
  return addr ?? "invalid";
}
