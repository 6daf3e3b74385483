# hrbot in two stages. The build stage installs the build extra (CPU torch), exports the model to ONNX, builds
# the index and trains the triage classifier. The runtime stage has the serving dependencies, the export, the
# index and the corpus only: no torch, no compiler, no pip. Checked for real by deploy/check-image.sh.
#
#   podman build --isolation chroot --format docker -t hrbot:latest .
#
# The base is python:3.11-slim-bookworm, pinned by digest. To move the pin to the tag's current digest:
#   podman pull docker.io/library/python:3.11-slim-bookworm
#   podman image inspect --format '{{.Digest}}' docker.io/library/python:3.11-slim-bookworm
# A machine without registry access builds a stand-in from Debian packages (deploy/base-image.sh) and passes the
# digest that script prints: --build-arg BASE=docker.io/library/python:3.11-slim-bookworm@sha256:<digest>.
ARG BASE=docker.io/library/python:3.11-slim-bookworm@sha256:a36c24f9cbdf4fd0f52d67f0823eeac19c2028c637cecc392d97f980d4fec56b

FROM ${BASE} AS build
# PyTorch's CPU wheels; where that index does not answer, the default index (and PIP_FIND_LINKS, if given) must
# offer a CPU build, or deploy/install-torch-cpu.sh stops the build before downloading a CUDA one.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
# Optional: local wheel folders (mounted with --volume) and the CA bundle of an HTTPS proxy, for pip.
ARG PIP_FIND_LINKS
ARG PIP_CERT
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    BOT_DATA_DIR=/app/var \
    BOT_CORPUS_DIR=/app/corpus
WORKDIR /src

# Dependencies in their own layers, from pyproject.toml, a stub package and a stub README, so edits to the source,
# the corpus or the README keep them. /opt/build: the build extra on CPU torch. /opt/hrbot: the serving
# dependencies only, at the versions the build environment resolved, without pip; no .pyc files yet (only the
# modules serving imports get them, below).
COPY pyproject.toml ./
COPY deploy/install-torch-cpu.sh deploy/
RUN mkdir bot && echo '__version__ = "0.0.0"' > bot/__init__.py && touch README.md \
    && python -m venv /opt/build \
    && /opt/build/bin/pip install --quiet --upgrade pip \
    && sh deploy/install-torch-cpu.sh /opt/build/bin/python \
    && /opt/build/bin/pip install --quiet '.[build]' \
    && /opt/build/bin/pip freeze --exclude hrbot > /tmp/resolved.txt \
    && python -m venv --without-pip /opt/hrbot \
    && /opt/build/bin/pip --python /opt/hrbot/bin/python install --quiet --no-compile -c /tmp/resolved.txt . \
    && /opt/build/bin/pip uninstall --quiet -y hrbot \
    && /opt/build/bin/pip --python /opt/hrbot/bin/python uninstall --quiet -y hrbot \
    && rm -rf bot build ./*.egg-info

COPY bot ./bot
COPY corpus /app/corpus
# The export, the index and the classifier under /app/var; the embedding cache only speeds up rebuilds.
RUN /opt/build/bin/pip install --quiet --no-deps . \
    && /opt/build/bin/hrbot corpus check \
    && /opt/build/bin/hrbot build \
    && rm -rf /app/var/cache build ./*.egg-info
# The package into the serving environment, with its real README, last: a README edit rebuilds only this.
COPY README.md ./
RUN /opt/build/bin/pip --python /opt/hrbot/bin/python install --quiet --no-deps --no-compile .


FROM ${BASE} AS runtime
ENV PYTHONUNBUFFERED=1 \
    PATH=/opt/hrbot/bin:$PATH \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    BOT_DATA_DIR=/app/var \
    BOT_CORPUS_DIR=/app/corpus \
    BOT_HOST=0.0.0.0 \
    BOT_PORT=8000 \
    BOT_AUTO_BUILD=false

RUN useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin hrbot

COPY --from=build /opt/hrbot /opt/hrbot
COPY --from=build /app/corpus /app/corpus
COPY --from=build /app/var /app/var

# Everything under /app is root's and read-only to hrbot, except /app/state: the SQLite store (SMS sessions,
# opt-outs, feedback; unused with BOT_REDIS_URL), reached through a link where the service looks for it. The
# index stays in the image, so a new image brings its own and an old volume cannot hide it.
# Then one question through the runtime environment, as a check that it serves without torch and so that the
# modules serving imports are compiled once, here.
WORKDIR /app
RUN mkdir /app/state && chown hrbot:hrbot /app/state \
    && ln -s /app/state/state.sqlite3 /app/var/state.sqlite3 \
    && python -c "import importlib.util as u, sys; sys.exit(any(u.find_spec(m) for m in ('torch', 'sentence_transformers', 'sklearn')))" \
    && hrbot ask --json "how do i use narcan" > /dev/null \
    && python -c "import bot.api.app, uvicorn.main, uvicorn.lifespan.on, uvicorn.loops.auto, uvicorn.protocols.http.auto, redis" \
    && rm -f /app/state/*

# Numeric, so that Kubernetes can check runAsNonRoot against it.
USER 10001:10001
VOLUME ["/app/state"]
EXPOSE 8000
# Healthy means ready: /readyz answers 200 once the index is loaded. Podman keeps HEALTHCHECK only with
# --format docker.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/readyz' % os.environ['BOT_PORT'], timeout=4)"]
CMD ["hrbot", "serve"]
