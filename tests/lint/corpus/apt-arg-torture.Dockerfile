FROM debian:12
FROM debian:12
RUN apt-get install -y $(cat /tmp/pkgs)
FROM debian:12
RUN apt-get install -y $(cat pkgs)
FROM debian:12
RUN apt-get install -y "$PKG"
FROM debian:12
RUN apt-get install -y "${PKG}=1.0"
FROM debian:12
RUN apt-get install -y curl=$VER
FROM debian:12
RUN apt-get install -y -qq curl=1
FROM debian:12
RUN apt-get install -yq --no-install-recommends curl
FROM debian:12
RUN apt-get install -y --no-install-recommends=true curl=1
FROM debian:12
RUN apt-get install -y --no-install-recommends -t=bookworm curl
FROM debian:12
RUN apt-get -t bookworm install -y curl=1
FROM debian:12
RUN apt-get -o Debug::pkgProblemResolver=yes install -y curl=1
FROM debian:12
RUN apt-get install -y -o APT::Install-Recommends=0 curl=1
FROM debian:12
RUN apt-get install -y --no-install-suggests curl=1
FROM debian:12
RUN apt-get reinstall -y curl
FROM debian:12
RUN apt-get install
FROM debian:12
RUN apt-get -y install
FROM debian:12
RUN apt-get install -y curl:amd64
FROM debian:12
RUN apt-get install -y linux-headers-$(uname -r)
FROM debian:12
RUN apt-get update && apt-get -y install curl=1 && apt-get clean
FROM debian:12
RUN apt-get update; apt-get install -y curl=1; rm -rf /var/lib/apt/lists/*
FROM debian:12
RUN apt-get update && rm -rf /var/lib/apt/lists
FROM debian:12
RUN apt-get update && rm -Rf /var/lib/apt/lists/*
FROM debian:12
RUN apt-get update && rm -rf "/var/lib/apt/lists/*"
FROM debian:12
RUN apt-get update && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
FROM debian:12
RUN apt-get -qq update
FROM debian:12
RUN apt update -y
FROM debian:12
RUN apt-get update -o Acquire::Retries=3
FROM debian:12
RUN (apt-get update)
FROM debian:12
RUN apt-get install -y $(echo curl)
