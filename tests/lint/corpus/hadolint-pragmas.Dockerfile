# hadolint global ignore=DL3059
FROM ubuntu
# hadolint ignore=DL3008,DL3015
RUN apt-get update && apt-get install -y curl
RUN apt-get install -y git
RUN echo one
RUN echo two
# hadolint ignore=DL3006
FROM debian
# hadolint stage ignore=DL3008
RUN apt-get install -y git
RUN apt-get install -y vim
FROM alpine:3.20
RUN apk add curl
# hadolint ignore=DT1001,DL3025
CMD echo hi
