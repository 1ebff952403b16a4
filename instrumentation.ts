/**
 * Runs once when the app server starts. A wrong setting (including a missing
 * ADMIN_PASSWORD in production) stops the server here with a readable message,
 * instead of surfacing as a 500 on the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { appEnvProblem, env, EnvError } = await import("@/lib/env");
  let problem: string | null;
  try {
    problem = appEnvProblem(env());
  } catch (err) {
    problem = err instanceof EnvError ? err.message : String(err);
  }
  if (problem) {
    console.error(`Conference Camera cannot start:\n  ${problem}`);
    process.exit(1);
  }
}
