FROM node:20 AS build
USER root
RUN npm ci

FROM node:20 AS test
USER node
RUN npm test
USER 0

FROM node:20-slim
USER root:root
COPY --from=build /app /app
USER node
CMD ["node", "/app/server.js"]
