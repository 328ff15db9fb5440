FROM debian:12
RUN apt-get install -y --no-install-recommends -o Dpkg::Options::="--force-confold" foo=1.0
RUN apt-get install -y --no-install-recommends 'curl=7.*'
RUN apt-get install -y --no-install-recommends --target-release bookworm-backports podman=4.9
RUN apt-get install -y --no-install-recommends --target-release=bookworm-backports podman
RUN apt-get -y --no-install-recommends install libssl3=3.0.11-1~deb12u2 && apt-get clean
RUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39.2-1.1 && apt-get clean && rm -rf /var/lib/apt/lists/* /tmp/*
RUN apt-get update -y && rm -rf /var/cache/apt/archives
RUN apt-get update && rm -r -f /var/lib/apt/lists/*
RUN sudo apt-get install -y curl
RUN apt-get install -y --no-install-recommends curl || true
