/** Tokens minted directly for test bots, with the same grants the app gives. */
import { AccessToken, RoomAgentDispatch, RoomConfiguration } from "livekit-server-sdk";
import { participantGrant, viewerGrant } from "@/lib/livekit/grants";

export interface Keys {
  key: string;
  secret: string;
}

export function testKeys(): Keys {
  return {
    key: process.env.LIVEKIT_API_KEY ?? "cc-dev-key",
    secret: process.env.LIVEKIT_API_SECRET ?? "cc-dev-secret-embedded-default-not-for-production",
  };
}

export async function botToken(
  keys: Keys,
  room: string,
  identity: string,
  { role = "participant", name = identity, dispatch = true }: { role?: "participant" | "viewer"; name?: string; dispatch?: boolean } = {},
): Promise<string> {
  const at = new AccessToken(keys.key, keys.secret, { identity, name, ttl: 600 });
  at.addGrant(role === "viewer" ? viewerGrant(room) : participantGrant(room));
  if (dispatch) at.roomConfig = new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: "director" })] });
  return at.toJwt();
}
