# Shiplog's container image. Two stages: `build` installs the dependencies and runs `npm run build`
# (Next's standalone output, completed by scripts/lib/build.ts); the runtime stage holds only that
# tree: server.js, migrate.js, the traced node_modules, .next/static and prisma/migrations.
#   docker build -t shiplog .            (or: buildah bud -t shiplog .)
#   node server.js   serves on PORT (3000)   |   node migrate.js   applies the migrations, exits 0
# Runs as 10001:10001 and writes only to /tmp: the root filesystem may be read-only.
# BASE_IMAGE must provide node (20.19+) and, for the build stage, npm and /bin/sh.
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
# The dependencies first, so a change of the sources alone reuses this layer. `npm ci` runs
# `prisma generate`, which reads the schema and prisma.config.ts.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && node -e "require('fs').symlinkSync('/tmp/next-cache', '.next/standalone/.next/cache')"

FROM ${BASE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOME=/tmp NEXT_TELEMETRY_DISABLED=1
# Owned by root and not writable by the server's user; .next/cache points into /tmp.
COPY --from=build /src/.next/standalone ./
USER 10001:10001
EXPOSE 3000
CMD ["node", "server.js"]
