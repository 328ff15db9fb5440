FROM ubuntu:22.04 AS deps
RUN apt-get update && apt-get install -y --no-install-recommends build-essential=12.9ubuntu3

FROM ubuntu:22.04 AS tools
RUN apt-get update && apt-get install -y --no-install-recommends jq=1.6-2.1ubuntu3

FROM deps AS build
RUN make

FROM ubuntu:22.04
COPY --from=tools /usr/bin/jq /usr/bin/jq
RUN apt-get update && apt-get install -y --no-install-recommends tini=0.19.0-1 && rm -rf /var/lib/apt/lists/*
RUN apt update
