/** Server API clients for the director (it holds the API key, as the agent worker does). */
import { AgentDispatchClient, RoomServiceClient } from "livekit-server-sdk";
import { livekitHttpUrl, type Env } from "@/lib/env";

export function roomServiceFor(e: Env): RoomServiceClient {
  return new RoomServiceClient(livekitHttpUrl(e), e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET);
}

export function dispatchClientFor(e: Env): AgentDispatchClient {
  return new AgentDispatchClient(livekitHttpUrl(e), e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET);
}
