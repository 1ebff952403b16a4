import { removeParticipant } from "@/lib/admin/actions";
import { adminAction } from "@/lib/admin/body";
import { publicIdOfIdentity } from "@/lib/identity";
import { banBrowser } from "@/lib/token-guard";
import { removeRequestSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";

/**
 * Remove a participant or a viewer from their channel. The dashboard asks for a
 * confirm first. Their browser then gets no new token for REMOVE_BAN_MINUTES.
 */
export const POST = adminAction(removeRequestSchema, "remove", async ({ channel, identity }) => {
  await removeParticipant(channel, identity);
  const publicId = publicIdOfIdentity(identity);
  return { channel, identity, bannedUntil: publicId ? banBrowser(publicId) : null };
});
