/** The Node.js half of instrumentation.ts: check the app's settings, or stop. */
import { appEnvProblem, env, EnvError } from "@/lib/env";

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
