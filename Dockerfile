# syntax=docker/dockerfile:1
# One image for the worker, the bridge and the migrations; docker-compose.yml picks the command:
#   worker: node dist/workers/cli.js   bridge: node dist/bridge/cli.js   migrate: node dist/db/cli.js
# It runs the compiled build of `npm run build` (dist/: JavaScript, the dashboard's assets and the
# prebuilt workflow bundle the worker loads instead of bundling at start) on production dependencies
# only: no TypeScript, no tsx, no embedded Postgres. glibc (bookworm), not Alpine: the Temporal
# worker's native core ships prebuilt for glibc.

# --- build: every dependency, then npm run build (type errors fail it) ----------------------------
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and the compiled build, non-root ---------------------------
FROM node:20.19.5-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# The Temporal core bridge ships its native library for five platforms and its Rust sources:
# keep this platform's library only (about 120 MB less), and prove it still loads.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
 && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$(uname -m)-unknown-linux-gnu" -exec rm -rf {} + \
 && rm -rf node_modules/@temporalio/core-bridge/sdk-core \
 && node -e "require('@temporalio/core-bridge')"
COPY --from=build /app/dist ./dist
# The migrate one-shot applies sql/, the bridge checks it and applies ksql/ to ksqlDB.
COPY sql ./sql
COPY ksql ./ksql
USER node
CMD ["node", "dist/workers/cli.js"]
