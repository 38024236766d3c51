# The helpline service. Configured only through HELPLINE_* variables (see README.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY escalation ./escalation
COPY storage ./storage
RUN pip install . && useradd --system --home /app helpline
USER helpline

ENV HELPLINE_HTTP_HOST=0.0.0.0 HELPLINE_HTTP_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz').status == 200 else 1)"
CMD ["helpline", "run"]
