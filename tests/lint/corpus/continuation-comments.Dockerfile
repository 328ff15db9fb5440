FROM ubuntu:22.04
RUN apt-get update \
    # install the toolchain
    && apt-get install -y \
        build-essential \
        # comment in the package list
        cmake \
    && rm -rf /var/lib/apt/lists/*
RUN set -eux; \
    pip install \
      --no-cache-dir \
      flask; \
    echo ok
RUN echo a \
    \
    && echo b
