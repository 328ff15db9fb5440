# syntax=docker/dockerfile:1.4
FROM python:3.12-slim
RUN --mount=type=cache,target=/root/.cache/pip <<EOF
pip install -r requirements.txt
pip install uvicorn
EOF

RUN --mount=type=cache,target=/var/lib/apt/lists <<EOF
apt-get update
apt-get install -y --no-install-recommends libpq5=15.6-0+deb12u1
EOF

CMD ["python"]
