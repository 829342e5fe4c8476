# syntax=docker/dockerfile:1
# One image for the worker and the bridge; docker-compose.yml picks the command:
#   worker: node --import tsx src/workers/cli.ts      bridge: node --import tsx src/bridge/cli.ts
# The sources run through tsx (a runtime dependency), as with the npm scripts, so what runs in the
# container is what the tests ran. glibc (bookworm), not Alpine: the Temporal worker's native core
# ships prebuilt for glibc.

# --- build: every dependency, the type check as a gate -------------------------------------------
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc --noEmit -p tsconfig.build.json

# --- runtime: production dependencies only, non-root ---------------------------------------------
FROM node:20.19.5-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY --from=build /app/src ./src
# The bridge applies these at start: Postgres migrations and ksqlDB statements.
COPY sql ./sql
COPY ksql ./ksql
USER node
CMD ["node", "--import", "tsx", "src/workers/cli.ts"]
