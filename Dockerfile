# docktutor in a container: the course against your own Docker engine, your
# files on your own disk. README "Install" has the one-liner; in short:
#
#   docker build -t docktutor .
#   docker run -it --rm -v /var/run/docker.sock:/var/run/docker.sock \
#     -v "$PWD":/work -w /work docktutor
#
# Two stages: `build` compiles docktutor with the Rust toolchain the project
# is tested with; `runtime` is Debian slim with only the binary and the CA
# certificates (for engines reached over TLS), run by a user without root.
#
# Without a registry (CI), the runtime stage is built from a binary made
# beforehand: put `docktutor` and `ca-certificates.crt` in a folder and
#   DOCKER_BUILDKIT=1 docker build --build-arg BINARY=prebuilt -f Dockerfile FOLDER
# BuildKit then never looks at the build stage (.ci/container-image does it).

# Where the binary comes from: the `build` stage, or `prebuilt`.
ARG BINARY=build

FROM rust:1.95-slim-bookworm AS build
# There is no .git in the image: pass the commit for `docktutor --version`
# (--build-arg DOCKTUTOR_COMMIT=$(git rev-parse --short=12 HEAD)).
ARG DOCKTUTOR_COMMIT=""
WORKDIR /src
# The manifests first: the dependencies download in a layer of their own,
# kept until Cargo.lock changes (a stub target satisfies cargo meanwhile).
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && touch src/lib.rs && cargo fetch --locked
COPY . .
RUN cargo build --release --locked --offline \
    && mkdir /out \
    && cp target/release/docktutor /out/docktutor \
    && cp /etc/ssl/certs/ca-certificates.crt /out/ca-certificates.crt

FROM scratch AS prebuilt
COPY docktutor ca-certificates.crt /out/

FROM ${BINARY} AS binary

FROM debian:bookworm-slim AS runtime
LABEL org.opencontainers.image.title="docktutor" \
      org.opencontainers.image.description="Learn to build your first Docker image, checked against your own Docker engine" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0" \
      org.opencontainers.image.source="https://github.com/docktutor/docktutor"
# A user of its own; /work is where the learner's folder is mounted, and
# progress is kept there too (.docktutor/), so it outlives `docker run --rm`.
RUN useradd --no-log-init --create-home --uid 10001 --user-group docktutor \
    && mkdir /work \
    && chown docktutor:docktutor /work
COPY --from=binary /out/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=binary /out/docktutor /usr/local/bin/docktutor
ENV DOCKTUTOR_DATA_DIR=/work/.docktutor \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
WORKDIR /work
USER docktutor
# An interactive tutorial, not a service: there is nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["docktutor"]
