FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY . .
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .

FROM --platform=linux/amd64 alpine
COPY --from=build /app /app
FROM --platform=linux/arm64 alpine:latest
ENTRYPOINT ["/app"]
