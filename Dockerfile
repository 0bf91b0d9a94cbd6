# One image for the API, the worker and the gateway sandbox (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The web pages the API serves (api/web.ts, docs/web.md).
RUN node node_modules/vite/bin/vite.js build --config web/vite.config.ts
USER node
EXPOSE 3000 4010
# Node with tsx as a loader, not the tsx CLI: the CLI relays SIGTERM and SIGKILLs a child slow to
# answer it, which would cut a worker's graceful shutdown short (scripts/node-tsx.ts).
CMD ["node", "--import", "tsx", "api/main.ts"]
