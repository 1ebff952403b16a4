/**
 * A second app instance (`next start` of the same build) beside the stack's, with
 * settings of its own: the security tests need strict limits, a join code and no
 * trusted proxy, which would get in the way of every other suite. It talks to the
 * stack's real livekit-server with the stack's key pair.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { stackEnv, until } from "./stack-env";
import { testKeys } from "./tokens";

const root = join(__dirname, "..", "..");


export interface AppInstance {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Spawn `next start` on a port the system picks (`-p 0`: no race for a free port), and
 * read the port from its "Local:" line; resolves once it answers, or with the exit when
 * `expectExit` (port 0 then).
 */
export async function startApp(env: Record<string, string>, { expectExit = false } = {}): Promise<AppInstance> {
  const keys = testKeys();
  const { livekitUrl } = stackEnv();
  const child = spawn(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", "0", "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      LIVEKIT_URL: livekitUrl,
      LIVEKIT_API_KEY: keys.key,
      LIVEKIT_API_SECRET: keys.secret,
      CC_EMBEDDED: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      TRUSTED_PROXIES: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let port = 0;
  let url = "";
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
      await exited;
    }
  };
  if (!expectExit) {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}): ${out}`);
        port ||= Number(/Local:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? 0);
        url = `http://127.0.0.1:${port}`;
        return port > 0 && (await fetch(`${url}/api/token`, { method: "GET" })).status === 405;
      },
      "a second app instance",
      30_000,
    );
  } else {
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  }
  return { url, port, child, output: () => out, stop };
}
