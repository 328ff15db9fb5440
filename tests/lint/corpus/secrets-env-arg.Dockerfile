ARG NPM_TOKEN=npm_abc123
FROM node:20
ARG GITHUB_TOKEN
ENV DB_HOST=db \
    DB_PASSWORD=supersecret \
    DB_PASSWORD_FILE=/run/secrets/db_password
ENV API_KEY sk-live-123
ENV AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI
ENV SECRET_KEY=${SECRET_KEY}
ENV TOKENIZERS_PARALLELISM=false
RUN --mount=type=secret,id=npm,target=/root/.npmrc npm ci
USER node
