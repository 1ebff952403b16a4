import { setShotLength } from "@/lib/admin/actions";
import { adminAction } from "@/lib/admin/body";
import { shotLengthRequestSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";

/** A channel's minimum shot length in ms, overriding SWITCH_DWELL_MS live (`ms: null` restores the default). */
export const POST = adminAction(shotLengthRequestSchema, "shot-length", async ({ channel, ms }) => ({ channel, ms, ...(await setShotLength(channel, ms)) }));
