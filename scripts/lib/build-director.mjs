// @ts-check
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

/**
 * @param {string} path
 * @returns {number}
 */
function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * Build dist/director/main.mjs of the checkout at `root` (this one by default; the
 * benchmark compiles another commit's) when missing or older than its sources;
 * returns its path.
 * @param {{ force?: boolean, root?: string }} [opts]
 */
export function buildDirector({ force = false, root = ROOT } = {}) {
  const entry = join(root, "dist", "director", "main.mjs");
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))));
  if (!force && built > newest) return entry;
  // Synchronous, so starting a director stays one call; esbuild is installed with tsx.
  const { buildSync } = createRequire(import.meta.url)("esbuild");
  const t0 = Date.now();
  buildSync({
    entryPoints: [join(root, "worker", "main.ts")],
    outfile: entry,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: join(root, "tsconfig.json"),
    sourcemap: true,
    logLevel: "warning",
  });
  log(`director compiled (${Date.now() - t0} ms): ${entry.slice(ROOT.length + 1)}`);
  return entry;
}

// `node scripts/lib/build-director.mjs`: build now (the container image does this).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  buildDirector({ force: true });
}
