# One image for every app; docker-compose picks the command per service.
# syntax=docker/dockerfile:1

# --- build: full install, generate the Prisma client, compile TypeScript ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.json prisma.config.ts ./
COPY prisma ./prisma
COPY packages ./packages
COPY apps ./apps
RUN npm ci --no-audit --no-fund
RUN npx turbo run build

# --- runtime: production dependencies and compiled output only ---
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/config/package.json packages/config/
COPY packages/db/package.json packages/db/
COPY packages/logger/package.json packages/logger/
COPY packages/media/package.json packages/media/
COPY packages/migrate/package.json packages/migrate/
COPY packages/queue/package.json packages/queue/
COPY packages/service/package.json packages/service/
COPY packages/testkit/package.json packages/testkit/
COPY packages/wechat/package.json packages/wechat/
COPY packages/wechat-api/package.json packages/wechat-api/
COPY apps/receiver/package.json apps/receiver/
COPY apps/worker/package.json apps/worker/
COPY apps/dashboard/package.json apps/dashboard/
COPY apps/support/package.json apps/support/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/packages/config/dist packages/config/dist
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/packages/logger/dist packages/logger/dist
COPY --from=build /app/packages/media/dist packages/media/dist
COPY --from=build /app/packages/migrate/dist packages/migrate/dist
COPY --from=build /app/packages/queue/dist packages/queue/dist
COPY --from=build /app/packages/service/dist packages/service/dist
COPY --from=build /app/packages/wechat/dist packages/wechat/dist
COPY --from=build /app/packages/wechat-api/dist packages/wechat-api/dist
COPY --from=build /app/apps/receiver/dist apps/receiver/dist
COPY --from=build /app/apps/worker/dist apps/worker/dist
COPY --from=build /app/apps/dashboard/dist apps/dashboard/dist
COPY --from=build /app/apps/support/dist apps/support/dist
COPY prisma ./prisma
RUN mkdir -p /var/lib/wxcs/spool && chown -R node:node /var/lib/wxcs
USER node
EXPOSE 3000 3001 3002 3003
CMD ["node", "--enable-source-maps", "apps/receiver/dist/main.js"]
