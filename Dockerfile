# Multi-stage build on Debian slim (glibc, for canvas). Node 24 is an LTS line.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential python3 pkg-config \
      libcairo2-dev libpango1.0-dev libgif-dev libjpeg-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scans scans
COPY migrations migrations
COPY report-templates report-templates
COPY server server
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
# Runtime libraries for canvas, and fonts for charts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcairo2 libpango-1.0-0 libpangocairo-1.0-0 libgif7 libjpeg62-turbo \
      fonts-dejavu-core tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
# Compiled server, scans, report templates and migrations.
COPY --from=build /app/dist dist
# Static web assets are read from the source tree layout next to dist.
COPY --from=build /app/server/web/public server/web/public
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
# The flags of `npm start` (package.json; tests/server/node-flags.test.ts keeps them equal): see "Memory"
# in the README. --liftoff-only: the embedded database otherwise peaks ~500 MB higher at start;
# --max-semi-space-size=8 and --max-old-space-size=1536: a smaller young generation, and heaps grown in
# smaller steps; together ~300 MB less at a 100,000-respondent close.
CMD ["node", "--liftoff-only", "--max-semi-space-size=8", "--max-old-space-size=1536", "dist/server/main.js"]
