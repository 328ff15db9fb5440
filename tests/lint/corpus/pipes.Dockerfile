FROM debian:12
RUN curl -fsSL https://example.com/install.sh | sh
RUN echo "a | b" && echo 'c | d'
RUN test -f /x || echo missing
RUN ps aux |& grep x
RUN VERSION=$(curl -s https://example.com/v | cut -d. -f1) && echo "$VERSION"
RUN ["sh", "-c", "cat /etc/os-release | head -1"]
FROM debian:12 AS second
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | bash
SHELL ["/bin/sh", "-c"]
RUN cat /etc/passwd | wc -l
