import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { DIRECTOR_ENTRY } from "../../scripts/lib/build-director.mjs";
import { freeTcpPort, freeUdpPort } from "../../scripts/lib/stack.mjs";
import { until } from "../helpers/stack-env";

// deploy/: the compose file is checked for what matters (pinned LiveKit, Redis for
// Egress, keys from the environment) and, when a docker client with compose is
// present, by `docker compose config`; the production livekit.yaml is loaded by the
// real livekit-server (the pinned version), whose config parser rejects unknown fields.
const root = join(__dirname, "..", "..");
const deploy = join(root, "deploy");
const compose = YAML.parse(readFileSync(join(deploy, "docker-compose.yml"), "utf8")) as {
  services: Record<string, { image?: string; environment?: Record<string, string>; profiles?: string[]; build?: { dockerfile: string } }>;
};
const livekitYaml = readFileSync(join(deploy, "livekit.yaml"), "utf8");
const livekitConfig = YAML.parse(livekitYaml) as Record<string, unknown> & { rtc: Record<string, unknown>; redis?: { address: string } };
const bootstrap = readFileSync(join(root, "scripts", "lib", "bootstrap.mjs"), "utf8");
const LIVEKIT_VERSION = /LIVEKIT_VERSION = "([\d.]+)"/.exec(bootstrap)?.[1];

const COMPOSE_ENV = {
  LIVEKIT_API_KEY: "APIcomposecheck",
  LIVEKIT_API_SECRET: "compose-check-secret-0123456789abcdef",
  LIVEKIT_DOMAIN: "livekit.example.com",
  APP_DOMAIN: "app.example.com",
  ADMIN_PASSWORD: "compose-check",
};

function composeCommand(): { cmd: string; args: string[] } | string {
  const docker = spawnSync("docker", ["--version"], { encoding: "utf8" });
  if (docker.error || docker.status !== 0) return "no docker client on this machine";
  if (spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0) return { cmd: "docker", args: ["compose"] };
  if (spawnSync("docker-compose", ["version"], { encoding: "utf8" }).status === 0) return { cmd: "docker-compose", args: [] };
  return "a docker client is present but without compose (`docker compose version` failed, no docker-compose)";
}
const composeCmd = composeCommand();

describe("deploy/docker-compose.yml", () => {
  it("runs the pinned livekit-server, Redis, Egress, the director and the app", () => {
    expect(LIVEKIT_VERSION).toBeDefined();
    expect(compose.services.livekit?.image).toBe(`livekit/livekit-server:v${LIVEKIT_VERSION}`);
    expect(compose.services.redis?.image).toMatch(/^redis:\d/);
    expect(compose.services.egress?.image).toMatch(/^livekit\/egress:v\d+\.\d+\.\d+$/);
    expect(compose.services.director?.build?.dockerfile).toBe("deploy/director.Dockerfile");
    expect(compose.services.app?.build?.dockerfile).toBe("deploy/app.Dockerfile");
    expect(compose.services.app?.profiles).toEqual(["app"]);
    for (const f of ["director.Dockerfile", "app.Dockerfile", "Caddyfile", ".env.example"]) expect(existsSync(join(deploy, f)), f).toBe(true);
  });

  it("builds the director image from files its .dockerignore lets in, and runs what it compiles", () => {
    const dockerfile = readFileSync(join(deploy, "director.Dockerfile"), "utf8");
    const allowed = readFileSync(join(deploy, "director.Dockerfile.dockerignore"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("!"))
      .map((l) => l.slice(1).replace(/\/\*\*$/, ""));
    const copied = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(copied.length).toBeGreaterThan(3);
    for (const src of copied) {
      expect(allowed, `${src} is copied but .dockerignore leaves it out`).toContain(src);
      expect(existsSync(join(root, src)), src).toBe(true);
    }
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd[0]).toBe("node");
    expect(cmd.at(-1)).toBe(relative(root, DIRECTOR_ENTRY));
    expect(dockerfile).toMatch(/^RUN node scripts\/lib\/build-director\.mjs$/m);
    expect(dockerfile).not.toMatch(/^(RUN|CMD|ENTRYPOINT).*tsx/m);
  });

  it("takes the keys from the environment, never from a file", () => {
    expect(compose.services.livekit?.environment?.LIVEKIT_KEYS).toBe("${LIVEKIT_API_KEY}: ${LIVEKIT_API_SECRET}");
    expect(livekitConfig.keys).toBeUndefined();
    expect(livekitYaml).not.toMatch(/secret:/i);
  });

  it("gives LiveKit and Egress the same Redis", () => {
    expect(livekitConfig.redis?.address).toBe("127.0.0.1:6379");
    expect(compose.services.egress?.environment?.EGRESS_CONFIG_BODY).toContain("address: 127.0.0.1:6379");
  });

  it.skipIf(typeof composeCmd === "string")(
    `is valid for docker compose config${typeof composeCmd === "string" ? ` (skipped: ${composeCmd})` : ""}`,
    () => {
      const c = composeCmd as { cmd: string; args: string[] };
      const r = spawnSync(c.cmd, [...c.args, "-f", join(deploy, "docker-compose.yml"), "--profile", "app", "config", "--quiet"], {
        encoding: "utf8",
        env: { ...process.env, ...COMPOSE_ENV },
      });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);

      // And a deployment that forgot its key pair is stopped with a message naming it.
      const env: NodeJS.ProcessEnv = { ...process.env, ...COMPOSE_ENV };
      delete env.LIVEKIT_API_KEY;
      const missing = spawnSync(c.cmd, [...c.args, "-f", join(deploy, "docker-compose.yml"), "config", "--quiet"], { encoding: "utf8", env });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain("set LIVEKIT_API_KEY in deploy/.env");
    },
  );
});


function livekitBin(): string | null {
  const candidates = [process.env.LIVEKIT_SERVER_BIN, join(root, ".cache", "bin", "livekit-server")];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

describe("deploy/livekit.yaml", () => {
  it("is accepted by the pinned livekit-server (with Redis and STUN left out, which this machine lacks)", async () => {
    const bin = livekitBin();
    expect(bin, "livekit-server binary (npm test builds it)").not.toBeNull();
    const cfg = structuredClone(livekitConfig) as Record<string, unknown> & { rtc: Record<string, unknown>; turn: Record<string, unknown> };
    delete cfg.redis;
    const [http, tcp, udp, turn] = [await freeTcpPort(), await freeTcpPort(), await freeUdpPort(), await freeUdpPort()];
    Object.assign(cfg, { port: http });
    Object.assign(cfg.rtc, { use_external_ip: false, tcp_port: tcp, udp_port: udp });
    Object.assign(cfg.turn, { udp_port: turn });
    const dir = mkdtempSync(join(tmpdir(), "cc-deploy-"));
    const file = join(dir, "livekit.yaml");
    writeFileSync(file, YAML.stringify(cfg));
    const webhook = (livekitConfig.webhook as { api_key: string }).api_key;
    let out = "";
    const child = spawn(bin!, ["--config", file, "--node-ip", "127.0.0.1"], {
      env: { ...process.env, LIVEKIT_KEYS: `${webhook}: deploy-check-secret-0123456789abcdef` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      await until(async () => {
        if (child.exitCode !== null) throw new Error(`livekit-server exited: ${out}`);
        return (await fetch(`http://127.0.0.1:${http}/`)).ok;
      }, "livekit-server on the production config", 15000);
      expect(out).toContain("Starting TURN server");
    } finally {
      child.kill("SIGKILL");
    }
  });
});
