# The Next.js app, for running it on the VM instead of Vercel (`--profile app`).
# Build from the repository root: docker build -f deploy/app.Dockerfile .
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN node_modules/.bin/next build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=9000
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/.next ./.next
COPY next.config.js ./
USER node
EXPOSE 9000
CMD ["sh", "-c", "exec node_modules/.bin/next start -p \"$PORT\""]
