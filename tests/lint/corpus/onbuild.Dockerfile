FROM python:3.12-slim
ONBUILD COPY requirements.txt /app/
ONBUILD RUN pip install -r /app/requirements.txt
ONBUILD RUN apt-get update && apt-get install -y gcc
ONBUILD RUN sudo echo hi
ONBUILD USER root
ONBUILD WORKDIR relative
ONBUILD CMD python app.py
ONBUILD ENV PIP_NO_CACHE_DIR=1
ONBUILD RUN pip install -r /app/requirements.txt
RUN echo one
RUN echo two
