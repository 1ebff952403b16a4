import { pin } from "@/lib/admin/actions";
import { adminAction } from "@/lib/admin/body";
import { pinRequestSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";

/** Pin a participant to the program (`identity: null` unpins). The director obeys until unpinned. */
export const POST = adminAction(pinRequestSchema, "pin", async ({ channel, identity }) => ({ channel, pinned: identity, ...(await pin(channel, identity)) }));
