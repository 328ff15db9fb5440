FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends make=4.3-4.1build1
FROM ubuntu:22.04
RUN echo second
FROM python:3.12 AS py
ENV PIP_NO_CACHE_DIR=1
FROM python:3.12
RUN pip install -r requirements.txt
FROM python:3.12-slim
RUN pip install -r requirements.txt
