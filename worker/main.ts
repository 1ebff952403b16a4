/**
 * The director process: one lean process directs every room LiveKit's agent dispatch
 * gives it (worker/host.ts). Several director processes can run against one LiveKit
 * (or a multi-node LiveKit on Redis); the dispatch spreads rooms over them.
 *
 * Run compiled: `npm start` and the container run dist/director/main.mjs, built by
 * scripts/lib/build-director.mjs; `npm run director` builds and runs it too.
 */
import { EnvError } from "@/lib/env";
import { DirectorHost } from "./host";
import { loadSettings } from "./settings";

const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), msg, ...fields }));

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings();
  } catch (err) {
    console.error(err instanceof EnvError || err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
  const e = settings.env;
  const host = new DirectorHost(settings, log);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log("director stopping", { signal });
    await host.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  log("director starting", {
    livekit: e.LIVEKIT_URL,
    agentName: e.DIRECTOR_AGENT_NAME,
    policy: settings.switching.policy,
    health: `http://${e.DIRECTOR_HTTP_HOST}:${e.DIRECTOR_HTTP_PORT}/`,
  });
  try {
    await host.start();
  } catch (err) {
    console.error(`the director could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

void main();
