# Build stage: install dependencies into the user site
FROM python:3.9 AS builder
WORKDIR /app
COPY requirements.txt ./
RUN pip install --user -r requirements.txt

# Runtime stage: only the installed packages and the app
FROM python:3.9-slim
WORKDIR /app
COPY --from=builder /root/.local /root/.local
COPY app.py ./
ENV PATH=/root/.local/bin:$PATH
CMD ["python", "app.py"]
