# Marquee: one image for every node; the environment decides what a node runs (SERVICES, ...).
#   docker build -t marquee .
# Node 24 runs the TypeScript directly, so there is no build step: the first stage only
# installs production dependencies (the `node` dev dependency is left out: the image has Node 24).

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json index.ts app.ts moleculer.config.ts ./
COPY domain ./domain
COPY infra ./infra
COPY services ./services
COPY processor ./processor
COPY operators ./operators
COPY seed ./seed
COPY public ./public
COPY scripts ./scripts
# The image's own unprivileged user; nothing under /app is writable by it.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "scripts/healthcheck.ts"]
# SIGTERM makes a node hand its shards over before it exits (see index.ts).
STOPSIGNAL SIGTERM
CMD ["node", "index.ts"]
