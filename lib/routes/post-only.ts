/**
 * The other methods of a POST-only route, each a JSON 405 with `Allow: POST`. A route file
 * re-exports them: `export { GET, PUT, PATCH, DELETE } from "@/lib/routes/post-only";`.
 */
import { methodNotAllowed } from "@/lib/api-error";

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
