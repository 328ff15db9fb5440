FROM python:3.12-slim AS Build
RUN \
  --mount=type=cache,target=/root/.cache/pip \
  pip install -r requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=bind,source=.,target=/src \
    pip install /src
CMD [ "python", \
      "-m", "app" ]
HEALTHCHECK --interval=30s \
  --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000')"
FROM Build AS final
FROM build
USER   root
ENTRYPOINT [ "tini", "--" ]
