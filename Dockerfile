# One image for the API, the worker, the codec server and the gateway sandbox (docker-compose.yml
# picks the command). It runs compiled JavaScript and a workflow bundle built here, on Node 24 LTS
# (Node 20 reached its end of life in April 2026; development keeps working on Node >= 20.19).

# ---- build: TypeScript → dist/, the production workflow bundle, with the development packages ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The web pages the API serves (api/web.ts, docs/web.md).
RUN node node_modules/vite/bin/vite.js build --config web/vite.config.ts
RUN npx tsc -p tsconfig.build.json \
 && node dist/scripts/build-workflow-bundle.js dist/workflow-bundle.js \
 # Files the code reads from beside itself (fs, not import): migrations, the policy, the demo fixture.
 && cp -r db/migrations dist/db/migrations \
 && cp security/policy/policy.json dist/security/policy/policy.json \
 && mkdir -p dist/sandbox && cp -r sandbox/fixtures dist/sandbox/fixtures \
 && mkdir -p dist/security/pki/trust

# ---- runtime: production packages only (no @temporalio/testing, no tsx needed) ----
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HPC_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    METRICS_HOST=0.0.0.0
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
USER node
EXPOSE 3000 4010 8888 9463 9464 9465
# Plain node: signals reach the service itself (graceful worker shutdown on SIGTERM).
CMD ["node", "dist/api/main.js"]
