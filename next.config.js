// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- this config file is CommonJS */
const { realpathSync } = require("node:fs");
const path = require("node:path");

/**
 * Git worktrees share one node_modules through a symlink. Turbopack resolves packages
 * only inside its root, so widen the root to the folder holding both; a normal
 * checkout (a real node_modules folder) keeps Next's default.
 */
function turbopackRoot() {
  try {
    const real = path.dirname(realpathSync(path.join(__dirname, "node_modules")));
    if (real === __dirname) return undefined;
    let root = __dirname;
    while (!real.startsWith(root + path.sep) && path.dirname(root) !== root) root = path.dirname(root);
    return root;
  } catch {
    return undefined;
  }
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Separate build folders let parallel checkouts (git worktrees) build side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  turbopack: { root: turbopackRoot() },
  // `npm test` type-checks the whole tree (app, worker, tests) before it builds, so the
  // build skips its own second pass over the same files.
  typescript: { ignoreBuildErrors: true },
  // LAN phones reach `next dev` by IP; allow them in development.
  allowedDevOrigins: ["*.local", "192.168.*.*", "10.*.*.*"],
  // These are server-only Node packages with native parts; never bundle them.
  serverExternalPackages: ["@livekit/rtc-node", "@livekit/agents"],
  // The admin pages (and the APIs behind them) may never be framed by another site:
  // a framed /friends with a hidden "Remove" under a decoy button is clickjacking.
  async headers() {
    const noFraming = [
      { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
      { key: "X-Frame-Options", value: "DENY" },
    ];
    return ["/friends", "/login", "/debug", "/debug/:path*", "/api/admin/:path*"].map((source) => ({ source, headers: noFraming }));
  },
};

module.exports = nextConfig;
