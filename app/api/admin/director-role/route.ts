import { setDirectorRole } from "@/lib/admin/actions";
import { adminAction } from "@/lib/admin/body";
import { directorRoleRequestSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";

/** Set a participant's director role: `favor` (a host), `never` (an interpreter, a room mic) or `auto`. */
export const POST = adminAction(directorRoleRequestSchema, "director-role", async ({ channel, identity, role }) => ({
  channel,
  identity,
  role,
  ...(await setDirectorRole(channel, identity, role)),
}));
