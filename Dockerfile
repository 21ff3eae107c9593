# The gateway's deployable bundle on Node 24 slim. The build stage runs exactly the bundle step a
# test runs (apps/gateway/test/bundle.e2e.spec.ts): build, then `pnpm deploy --prod`; the image only
# copies that folder. Migrations: `docker run <image> node dist/cli/migrate.js` (docs/operations.md, "Rollout").
FROM node:24-slim AS build
WORKDIR /src
RUN npm install --global pnpm@12.21.0
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm exec turbo run build --filter=@cryptopay/gateway... \
 && pnpm --filter @cryptopay/gateway deploy --prod /bundle

FROM node:24-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /bundle /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.ADMIN_PORT || process.env.PORT) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: readiness 503, then the listener closes after SHUTDOWN_DELAY_SECONDS (docs/configuration.md).
STOPSIGNAL SIGTERM
# The package's own `start` script (node with its flags), exec'd so node is PID 1 and gets SIGTERM.
CMD ["sh", "-c", "exec $(node -p \"require('./package.json').scripts.start\")"]
