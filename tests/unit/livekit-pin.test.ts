import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LIVEKIT_VERSION } from "../../scripts/lib/bootstrap.mjs";

const root = join(__dirname, "..", "..");

describe("the livekit-server pin", () => {
  it("is the version the Go tools module builds, and the one deploy/ runs", () => {
    const gomod = readFileSync(join(root, "tools", "livekit-server", "go.mod"), "utf8");
    const required = /github\.com\/livekit\/livekit-server v(\d+\.\d+\.\d+)/.exec(gomod)?.[1];
    expect(required).toBe(LIVEKIT_VERSION);
    const compose = readFileSync(join(root, "deploy", "docker-compose.yml"), "utf8");
    expect(compose).toContain(`livekit/livekit-server:v${LIVEKIT_VERSION}`);
  });
});
