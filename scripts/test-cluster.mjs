#!/usr/bin/env node
// `npm run test:cluster`: LiveKit's multi-node mode on this machine. Bootstraps (npm
// install, livekit-server, redis-server, the app's build), then runs the suite in
// scripts/cluster/suite.ts: redis, two LiveKit nodes, two directors and the app on free
// ports. Its last line is `N passed, M failed`.
import { join } from "node:path";
import { ROOT, ensureBuild, ensureDependencies, ensureLivekitServer, ensureRedis, log, run } from "./lib/bootstrap.mjs";

log("Conference Camera — npm run test:cluster");
await ensureDependencies();
const livekitBin = await ensureLivekitServer();
await ensureRedis();
await ensureBuild();
const code = await run(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(ROOT, "scripts", "cluster", "suite.ts")], {
  env: { ...process.env, CC_LIVEKIT_BIN: livekitBin },
});
process.exit(code);
