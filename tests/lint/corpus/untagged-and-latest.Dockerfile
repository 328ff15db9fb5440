FROM ubuntu
RUN echo one
FROM ubuntu:latest
FROM docker.io/library/alpine
FROM gcr.io/distroless/base@sha256:1f3bf2c3a1d4a1b0b1b3c6a5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5
FROM ghcr.io/acme/tool:latest AS tool
FROM scratch
COPY --from=tool /tool /tool
