FROM python:3.12-slim AS base
ENV PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN pip install -r requirements.txt

FROM base AS dev
RUN pip install -r requirements-dev.txt

FROM python:3.12-slim AS other
ENV PIP_NO_CACHE_DIR=off
RUN pip install -r requirements.txt
RUN PIP_NO_CACHE_DIR=true pip install -r requirements.txt
RUN export PIP_NO_CACHE_DIR=yes && pip install -r requirements.txt
RUN PIP_NO_CACHE_DIR=0 pip install -r requirements.txt
