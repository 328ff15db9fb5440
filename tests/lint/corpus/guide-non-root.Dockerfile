FROM python:3.9-slim
WORKDIR /app
RUN addgroup --system appgroup && adduser --system --ingroup appgroup appuser
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=appuser:appgroup app.py ./
USER appuser
EXPOSE 8000
CMD ["python", "app.py"]
