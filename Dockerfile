# CPU-only image with the model and the built index baked in, so a container starts offline.
# Same steps as the Makefile: CPU torch pinned first, then the project, then `hrbot build`.
FROM python:3.11-slim

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    BOT_DATA_DIR=/app/var \
    BOT_CORPUS_DIR=/app/corpus \
    BOT_HOST=0.0.0.0 \
    BOT_PORT=8000

WORKDIR /app
RUN useradd --create-home --uid 10001 hrbot

# Dependencies in their own layer: only pyproject.toml and a stub package, so source edits keep the cache.
COPY pyproject.toml README.md ./
RUN mkdir bot && echo '__version__ = "0.0.0"' > bot/__init__.py \
    && pip install --extra-index-url "$TORCH_INDEX_URL" torch==2.13.0 \
    && pip install . \
    && pip uninstall -y hrbot && rm -rf bot

COPY bot ./bot
COPY corpus ./corpus
RUN pip install --no-deps . \
    && hrbot corpus check \
    && hrbot build \
    && chown -R hrbot:hrbot /app/var

USER hrbot
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["hrbot", "serve", "--host", "0.0.0.0", "--port", "8000"]
