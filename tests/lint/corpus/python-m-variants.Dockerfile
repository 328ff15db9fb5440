FROM python:3.12-alpine
RUN python -m pip install --upgrade pip setuptools wheel
RUN python3 -m pip install --no-cache-dir -r requirements.txt
RUN python3.12 -m pip install --no-cache-dir "pydantic>=2"
RUN /usr/local/bin/pip install --no-cache-dir rich
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir -r requirements.txt
RUN pip --disable-pip-version-check install --no-cache-dir attrs
RUN PIP_INDEX_URL=https://example.com/simple pip install --no-cache-dir anyio
RUN pip install --no-cache-dir --prefix=/install fastapi
RUN pip install --no-cache-dir --prefix /install fastapi==0.111.0
