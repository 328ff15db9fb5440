FROM debian:12
RUN apt-get update && apt-get install -y curl &&
RUN echo "unterminated
RUN sudo ls
RUN pip install flask |
RUN echo fine
