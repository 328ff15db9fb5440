FROM python:3.12-slim AS a
COPY ./ /app/
RUN pip install --no-cache-dir -r /app/requirements.txt
FROM python:3.12-slim AS b
COPY * /app/
RUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3 && rm -rf /var/lib/apt/lists/*
FROM python:3.12-slim AS c
COPY src/ /app/src/
RUN pip install --no-cache-dir -r /app/src/requirements.txt
FROM python:3.12-slim
COPY . /app
RUN pip install --no-cache-dir /app
