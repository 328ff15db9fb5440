FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       ca-certificates=20230311 \
       curl=7.88.1-10+deb12u5 \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get -y install git
RUN apt-get -qq -y install --no-install-recommends make
RUN apt install -y vim
RUN apt-get install -y -t bookworm-backports golang
RUN apt-get install -y ./downloaded.deb
RUN apt-get install -y -o APT::Install-Recommends=false wget=1.21.3-1+b2
RUN apt-get update
RUN apt-get install -y python3=3.11.2-1+b1 python3-pip
