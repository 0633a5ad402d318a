# syntax=docker/dockerfile:1
# Accord's image: built in one stage with every dependency (the bundle, the SDK and the embedded database's template
# are made by `npm ci`'s postinstall), run from a second with production dependencies only, as a non-root user.
# scripts/image-smoke.mjs runs these same install and start commands on a fresh checkout (no container engine needed).

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8081 ACCORD_DATA_DIR=/var/lib/accord
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
COPY contracts ./contracts
COPY sdk ./sdk
COPY tsconfig.json ./
# Copied after the sources, so the bundle is newer than every one of them and bin/accord.js runs it.
COPY --from=build /app/dist ./dist
COPY --from=build /app/sdk/dist ./sdk/dist
RUN mkdir -p /var/lib/accord && chown node:node /var/lib/accord
USER node
EXPOSE 8081
VOLUME ["/var/lib/accord"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8081)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1 (no npm, no shell): SIGTERM from `docker stop` or the kubelet reaches the server, which drains.
CMD ["node", "bin/accord.js", "serve"]
