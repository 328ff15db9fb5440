FROM python:3.12-slim
RUN apt-get update \
    && apt-get install -y gcc
RUN pip install flask
WORKDIR app
CMD python app.py
