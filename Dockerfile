# One image for the API, the worker and the gateway sandbox (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
USER node
EXPOSE 3000 4010
CMD ["node_modules/.bin/tsx", "api/main.ts"]
