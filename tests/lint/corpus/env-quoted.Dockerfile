FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR="1"
RUN pip install -r requirements.txt
FROM python:3.12-slim AS two
ENV PIP_NO_CACHE_DIR='yes' OTHER=x
RUN pip install -r requirements.txt
FROM python:3.12-slim AS three
ENV OTHER=1
RUN pip install -r requirements.txt
