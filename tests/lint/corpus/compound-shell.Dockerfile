FROM debian:12
RUN if [ "$(uname -m)" = "x86_64" ]; then \
      apt-get update && apt-get install -y --no-install-recommends libc6-dev=2.36-9; \
    else \
      echo "skip"; \
    fi
RUN for p in flask gunicorn; do pip install --no-cache-dir "$p"; done
RUN case "$(dpkg --print-architecture)" in \
      amd64) ARCH=x86_64 ;; \
      arm64) ARCH=aarch64 ;; \
    esac; \
    echo "$ARCH"
RUN (cd /tmp && sudo make install)
RUN { echo a; echo b; } > /tmp/x
RUN install_it() { apt-get install -y "$1"; }; install_it jq
RUN [ -f /etc/debian_version ] && cat /etc/debian_version
RUN [[ -n "$HOME" ]] && echo "$HOME"
