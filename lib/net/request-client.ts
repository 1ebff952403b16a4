import "server-only";

import { env } from "@/lib/env";
import { clientAddress, entryProof, peerNonce, trustedList, type AddressContext } from "@/lib/net/client-address";

let ctx: Omit<AddressContext, "nonce"> | undefined;

/** The client address of a request to this app (see lib/net/client-address.ts). */
export function requestClient(headers: Headers): string {
  const e = env();
  ctx ??= { trusted: trustedList(e.TRUSTED_PROXIES), proof: entryProof(e.LIVEKIT_API_SECRET) };
  return clientAddress(headers, { ...ctx, nonce: peerNonce() });
}
