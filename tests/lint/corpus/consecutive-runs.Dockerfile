FROM debian:12-slim
RUN mkdir -p /app
RUN chown nobody /app
# a comment between RUNs does not separate them
RUN echo one

RUN echo two
RUN echo three && echo four
RUN echo five
RUN echo six
WORKDIR /app
RUN echo seven
RUN echo eight; echo nine
RUN echo ten
RUN --mount=type=secret,id=token cat /run/secrets/token
RUN --mount=id=token,type=secret cat /run/secrets/token
RUN --network=none echo offline
RUN echo online
