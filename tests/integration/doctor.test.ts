import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freeTcpPort } from "../../scripts/lib/stack.mjs";
import { stackEnv } from "../helpers/stack-env";

// `npm run doctor` against the stack `npm test` started: every check must pass, and
// against a URL where nothing answers it must fail with a fix and exit 1.
const { appUrl } = stackEnv();
const root = join(__dirname, "..", "..");

function doctor(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), join(root, "scripts", "doctor.ts"), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}


describe("npm run doctor", () => {
  it("passes every check against the local stack", async () => {
    const { code, out } = await doctor(["--url", appUrl, "--channel", "14"]);
    const lines = out.split("\n").filter((l) => /^[✓✗] /.test(l));
    expect(lines, out).toHaveLength(5);
    expect(lines.every((l) => l.startsWith("✓ ")), out).toBe(true);
    expect(out).toMatch(/✓ \/status answers .* LiveKit is reachable/);
    expect(out).toMatch(/✓ a token can be minted .* channel 14/);
    expect(out).toMatch(/✓ a bot connected to ws:\/\/.* published a camera and a microphone/);
    expect(out).toMatch(/✓ the director put the bot on program \d+ ms after it started speaking/);
    expect(out).toMatch(/✓ webhook round trip/);
    expect(out).toContain("5 passed, 0 failed");
    expect(code).toBe(0);
  });

  it("fails with a fix, and exit code 1, when nothing answers at the URL", async () => {
    const { code, out } = await doctor(["--url", `http://127.0.0.1:${await freeTcpPort()}`]);
    expect(out).toMatch(/✗ \/status did not answer/);
    expect(out).toMatch(/fix: check the URL/);
    expect(out).toMatch(/✗ a token can be minted — not checked/);
    expect(out).toContain("0 passed, 5 failed");
    expect(code).toBe(1);
  });

  it("refuses a URL that is not http(s) with usage, exit code 2", async () => {
    const { code, out } = await doctor(["--url", "ftp://example.com"]);
    expect(code).toBe(2);
    expect(out).toMatch(/--url must be the app's http\(s\) URL/);
  });
});
