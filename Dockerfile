# mcpool gateway image: builds the package and serves the config mounted at /config/mcpool.json
# over Streamable HTTP on port 3000.
#   docker build -t mcpool .
#   docker run --rm -p 127.0.0.1:3000:3000 -e MCPOOL_TOKEN=s3cret -v "$PWD/mcpool.json:/config/mcpool.json:ro" mcpool
# The gateway binds 0.0.0.0 inside the container, which needs a token (MCPOOL_TOKEN, --token or
# gateway.clients in the config); stdio servers named in the config must exist in the image.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm pack --ignore-scripts && mv mcpool-*.tgz /tmp/mcpool.tgz

FROM node:20-bookworm-slim
ENV NODE_ENV=production
RUN --mount=from=build,source=/tmp/mcpool.tgz,target=/tmp/mcpool.tgz npm install -g /tmp/mcpool.tgz && npm cache clean --force
USER node
WORKDIR /config
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD mcpool health --url http://127.0.0.1:3000 --token "$MCPOOL_TOKEN" >/dev/null || exit 1
CMD ["mcpool", "serve", "--http", "--host", "0.0.0.0", "--port", "3000", "--config", "/config/mcpool.json", "--log-format", "json"]
