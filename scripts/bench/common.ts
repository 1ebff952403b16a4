/**
 * What every benchmark starts with: its command-line flags, and the whole stack on free
 * ports after the same bootstrap as npm start (packages, livekit-server, a build).
 */
import { join } from "node:path";
import { ROOT, ensureBuild, ensureChromium, ensureDependencies, ensureLivekitServer } from "../lib/bootstrap.mjs";
import { freeStackPorts, startStack, type Stack } from "../lib/stack.mjs";

const argv = process.argv.slice(2);

/** `--name value` on the command line, or `dflt`. */
export function arg(name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
}

/** `--name` alone on the command line. */
export const flag = (name: string): boolean => argv.includes(`--${name}`);

/**
 * Bootstrap, then start the stack (loopback only, quiet, logs in .cache/logs/bench).
 * `chromium`: also find the system Chromium; `before`: more bootstrap before the build.
 */
export async function benchStack(
  opts: Partial<Parameters<typeof startStack>[0]> & { chromium?: boolean; before?: () => Promise<void> } = {},
): Promise<{ stack: Stack; chromiumPath: string }> {
  const { chromium, before, ...stackOpts } = opts;
  await ensureDependencies();
  const livekitBin = await ensureLivekitServer();
  const chromiumPath = chromium ? await ensureChromium() : "";
  await before?.();
  await ensureBuild();
  const ports = await freeStackPorts();
  const stack = await startStack({ livekitBin, ports, quiet: true, nodeIp: "127.0.0.1", logDir: join(ROOT, ".cache", "logs", "bench"), ...stackOpts });
  return { stack, chromiumPath };
}
