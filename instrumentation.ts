/**
 * Runs once when the app server starts. A wrong setting (including a missing
 * ADMIN_PASSWORD in production) stops the server here with a readable message,
 * instead of surfacing as a 500 on the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
