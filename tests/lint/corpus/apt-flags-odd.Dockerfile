FROM ubuntu:24.04
RUN DEBIAN_FRONTEND=noninteractive apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -yq --no-install-recommends tzdata
RUN apt-get update && apt-get install -y --no-install-recommends $PACKAGES && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends "nginx=${NGINX_VERSION}" && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get upgrade -y && rm -r /var/lib/apt/lists/*
RUN apt-get update && apt-get dist-upgrade -y && rm -fr /var/lib/apt/lists/*
RUN aptitude update && aptitude install -y htop
