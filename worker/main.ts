/**
 * The director process: registers with LiveKit as an agent worker ("director") and
 * runs one job per channel room (worker/job.ts), plus the reconciliation loop.
 * Several director processes can run against one LiveKit; LiveKit's dispatch gives
 * each room to one of them.
 */
import { fileURLToPath } from "node:url";
import { AgentServer, initializeLogger, ServerOptions, WorkerPermissions } from "@livekit/agents";
import { EnvError } from "@/lib/env";
import { DIRECTOR_IDENTITY_PREFIX } from "@/lib/director-state";
import { DIRECTOR_PERMISSIONS } from "@/lib/livekit/grants";
import { dispatchClientFor, roomServiceFor } from "./livekit-api";
import { Reconciler } from "./reconcile";
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
  initializeLogger({ pretty: false, level: process.env.DIRECTOR_LOG_LEVEL === "debug" ? "debug" : process.env.DIRECTOR_LOG_LEVEL === "info" ? "info" : "warn" });

  const p = DIRECTOR_PERMISSIONS;
  const server = new AgentServer(
    new ServerOptions({
      agent: fileURLToPath(new URL("./job.ts", import.meta.url)),
      agentName: e.DIRECTOR_AGENT_NAME,
      wsURL: e.LIVEKIT_URL,
      apiKey: e.LIVEKIT_API_KEY,
      apiSecret: e.LIVEKIT_API_SECRET,
      permissions: new WorkerPermissions(p.canPublish, p.canSubscribe, p.canPublishData, p.canUpdateMetadata, [], p.hidden),
      requestFunc: async (req) => {
        await req.accept("Director", `${DIRECTOR_IDENTITY_PREFIX}${req.id.slice(-10)}`);
      },
      // Load is rooms directed, not the machine's CPU: the agents default reports host
      // CPU, and on a machine shared with livekit-server (the embedded default) a busy
      // moment made LiveKit refuse to dispatch rooms to an idle director.
      loadFunc: async (worker) => Math.min(1, worker.activeJobs.length / e.DIRECTOR_MAX_ROOMS),
      loadThreshold: 1,
      numIdleProcesses: e.DIRECTOR_IDLE_PROCESSES,
      // A job process loads all of @livekit/agents (~2 s on an idle core); on a busy
      // 2-core machine that exceeded the 10 s default and rooms went undirected.
      initializeProcessTimeout: 30_000,
      host: e.DIRECTOR_HTTP_HOST,
      port: e.DIRECTOR_HTTP_PORT,
      production: e.production,
      logLevel: "warn",
    }),
  );

  const reconciler = new Reconciler(
    roomServiceFor(e),
    dispatchClientFor(e),
    e.DIRECTOR_AGENT_NAME,
    e.DIRECTOR_RECONCILE_MS,
    log,
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log("director stopping", { signal });
    reconciler.stop();
    await server.close().catch(() => undefined);
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
  // Reconcile only once LiveKit knows this worker, or the first dispatch finds no one.
  server.event.once("worker_registered", (workerId: string) => {
    log("director registered", { workerId });
    reconciler.start();
  });
  await server.run();
}

void main();
