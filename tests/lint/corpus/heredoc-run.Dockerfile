# syntax=docker/dockerfile:1.4
FROM debian:12
RUN <<EOF
apt-get update
apt-get install -y curl | tee /tmp/log
EOF

RUN <<-EOT
	set -e
	pip install --no-cache-dir requests
EOT

RUN python3 <<PY
import os
print(os.getcwd())
PY

RUN bash <<'SCRIPT'
sudo apt-get install -y this-is-not-linted
SCRIPT

RUN echo done
