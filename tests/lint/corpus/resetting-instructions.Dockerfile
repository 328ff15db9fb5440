FROM alpine:3.20
RUN echo a
LABEL org.opencontainers.image.source="https://example.com"
RUN echo b
EXPOSE 8080
RUN echo c
VOLUME /data
RUN echo d
STOPSIGNAL SIGTERM
RUN echo e
ARG X=1
RUN echo f
ENV Y=2
RUN echo g
MAINTAINER someone
RUN echo h
RUN echo i
  RUN echo indented
RUN --network=host echo j
RUN echo k
