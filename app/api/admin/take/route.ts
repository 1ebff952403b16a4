import { take } from "@/lib/admin/actions";
import { adminAction } from "@/lib/admin/body";
import { takeRequestSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";

/** Cut once, now: to `identity`, or to the wide shot (`shot: "wide"`). Unlike a pin, the director then carries on. */
export const POST = adminAction(takeRequestSchema, "take", async ({ channel, identity, shot }) => ({ channel, identity, shot, ...(await take(channel, identity, shot)) }));
