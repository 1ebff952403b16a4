/**
 * The other methods of a GET-only route, each a JSON 405 with `Allow: GET`. A route file
 * re-exports them: `export { POST, PUT, PATCH, DELETE } from "@/lib/routes/get-only";`.
 */
import { methodNotAllowed } from "@/lib/api-error";

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
