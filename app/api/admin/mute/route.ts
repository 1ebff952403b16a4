import { muteMic } from "@/lib/admin/actions";
import { adminAction } from "@/lib/admin/body";
import { adminTargetSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";

/** Mute a participant's microphone (LiveKit's mutePublishedTrack). They can unmute themselves. */
export const POST = adminAction(adminTargetSchema, "mute", async ({ channel, identity }) => ({ channel, identity, ...(await muteMic(channel, identity)) }));
