/**
 * A second app instance (`next start` of the same build) beside the stack's, with
 * settings of its own: the security tests need strict limits, a join code and no
 * trusted proxy, which would get in the way of every other suite. It talks to the
 * stack's real livekit-server with the stack's key pair.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { stackEnv, until } from "./stack-env";
import { testKeys } from "./tokens";

const root = join(__dirname, "..", "..");

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface AppInstance {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawn `next start`; resolves once it answers, or with the exit when `expectExit`. */
export async function startApp(env: Record<string, string>, { expectExit = false } = {}): Promise<AppInstance> {
  const port = await freePort();
  const keys = testKeys();
  const { livekitUrl } = stackEnv();
  const child = spawn(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
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
  const url = `http://127.0.0.1:${port}`;
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
        return (await fetch(`${url}/api/token`, { method: "GET" })).status === 405;
      },
      "a second app instance",
      30_000,
    );
  } else {
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  }
  return { url, port, child, output: () => out, stop };
}
