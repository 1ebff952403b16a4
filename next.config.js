// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Separate build folders let parallel checkouts (git worktrees) build side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `npm test` type-checks the whole tree (app, worker, tests) before it builds, so the
  // build skips its own second pass over the same files.
  typescript: { ignoreBuildErrors: true },
  // LAN phones reach `next dev` by IP; allow them in development.
  allowedDevOrigins: ["*.local", "192.168.*.*", "10.*.*.*"],
  // These are server-only Node packages with native parts; never bundle them.
  serverExternalPackages: ["@livekit/rtc-node", "@livekit/agents"],
};

module.exports = nextConfig;
