// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The director and scripts live beside the app; only app code is bundled.
  typescript: { ignoreBuildErrors: false },
  // LAN phones reach `next dev` by IP; allow them in development.
  allowedDevOrigins: ["*.local", "192.168.*.*", "10.*.*.*"],
  // These are server-only Node packages with native parts; never bundle them.
  serverExternalPackages: ["@livekit/rtc-node", "@livekit/agents"],
};

module.exports = nextConfig;
