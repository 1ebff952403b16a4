// Compiles the director (worker/main.ts and the pure modules it imports from lib/) into
// one ES module, dist/director/main.mjs, so `npm start` and the container run plain
// JavaScript: no tsx, no esbuild service per process, a faster start. npm packages
// stay external and load from node_modules. Rebuilt only when a source is newer.
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT, log } from "./bootstrap.mjs";

export const DIRECTOR_ENTRY = join(ROOT, "dist", "director", "main.mjs");
const SOURCES = ["worker", "lib", "tsconfig.json", "package.json"];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Build dist/director/main.mjs when missing or older than its sources; returns its path. */
export function buildDirector({ force = false } = {}) {
  const built = existsSync(DIRECTOR_ENTRY) ? statSync(DIRECTOR_ENTRY).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  if (!force && built > newest) return DIRECTOR_ENTRY;
  // Synchronous, so starting a director stays one call; esbuild is installed with tsx.
  const { buildSync } = createRequire(import.meta.url)("esbuild");
  const t0 = Date.now();
  buildSync({
    entryPoints: [join(ROOT, "worker", "main.ts")],
    outfile: DIRECTOR_ENTRY,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: join(ROOT, "tsconfig.json"),
    sourcemap: true,
    logLevel: "warning",
  });
  log(`director compiled (${Date.now() - t0} ms): ${DIRECTOR_ENTRY.slice(ROOT.length + 1)}`);
  return DIRECTOR_ENTRY;
}

// `node scripts/lib/build-director.mjs`: build now (the container image does this).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  buildDirector({ force: true });
}
