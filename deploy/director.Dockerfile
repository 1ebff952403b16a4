# The director: one Node 20 process that directs every room LiveKit's agent dispatch
# gives it, run as compiled JavaScript (no tsx at run time).
# Build from the repository root: docker build -f deploy/director.Dockerfile .
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# Dependencies first, so a code change doesn't reinstall them. The native
# @livekit/rtc-node binary is a runtime dependency; esbuild compiles the director.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force

# Only what the worker imports: worker/ and the pure modules under lib/.
COPY tsconfig.json ./
COPY lib ./lib
COPY worker ./worker
COPY scripts/lib/build-director.mjs scripts/lib/bootstrap.mjs ./scripts/lib/
RUN node scripts/lib/build-director.mjs

USER node
# Settings (README › Configuration): LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET
# (required); DIRECTOR_AGENT_NAME, DIRECTOR_MAX_ROOMS, DIRECTOR_RECONCILE_MS,
# DIRECTOR_HTTP_HOST/PORT and the SWITCH_* policy (optional).
ENV DIRECTOR_HTTP_HOST=0.0.0.0 \
    DIRECTOR_HTTP_PORT=7890
EXPOSE 7890
HEALTHCHECK --interval=10s --timeout=5s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.DIRECTOR_HTTP_PORT+'/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/director/main.mjs"]
