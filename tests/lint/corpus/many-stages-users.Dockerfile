FROM alpine:3.20 AS one
USER root
FROM one AS two
RUN echo inherits
FROM alpine:3.20 AS three
USER nobody
USER root
USER nobody
FROM alpine:3.20
USER 0
USER 1000
